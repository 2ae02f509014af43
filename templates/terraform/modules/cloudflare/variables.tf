variable "name" {
  description = "Name prefix of the zone's rulesets, e.g. marketing-site-prod-edge."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", var.name))
    error_message = "name must be 1-64 letters, digits or hyphens."
  }
}

variable "zone_id" {
  description = "ID of the Cloudflare zone that serves domain_name."
  type        = string

  validation {
    condition     = can(regex("^[a-f0-9]{32}$", var.zone_id))
    error_message = "zone_id must be a 32-character hexadecimal zone ID."
  }
}

variable "domain_name" {
  description = "The DNS name users reach the service at; must be the zone's name or a name inside it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a fully qualified lowercase DNS name."
  }
}

variable "origin_hostname" {
  description = "The origin's host name the proxied record points at: the ALB's DNS name, the API custom domain's target, or the S3 bucket's regional domain name (origin_type s3)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.-]+$", var.origin_hostname))
    error_message = "origin_hostname must be a bare host name (no scheme, no path)."
  }
}

variable "origin_type" {
  description = "http: an ALB or API Gateway custom domain whose certificate names domain_name (the viewer's Host is kept); s3: an S3 bucket reached through Cloudflare Cloud Connector, which sends the bucket's own host name."
  type        = string
  default     = "http"

  validation {
    condition     = contains(["http", "s3"], var.origin_type)
    error_message = "origin_type must be http or s3."
  }
}

variable "cache_everything" {
  description = "true: cache every response of domain_name (a static site); false: cache only static assets by file extension (an application or API)."
  type        = bool
  default     = false
}

variable "static_extensions" {
  description = "File extensions cached at the edge when cache_everything is false."
  type        = list(string)
  default     = ["css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "woff", "woff2", "ttf", "map"]

  validation {
    condition     = alltrue([for e in var.static_extensions : can(regex("^[a-z0-9]{1,10}$", e))])
    error_message = "static_extensions must be lowercase extensions without dots."
  }
}

variable "enable_waf" {
  description = "Deploy the Cloudflare Managed Ruleset and a per-IP rate limit (the design's edge.waf)."
  type        = bool
  default     = false
}

variable "rate_limit_per_5min" {
  description = "Requests one client IP may send in 5 minutes before it is blocked (used when enable_waf is true)."
  type        = number
  default     = null

  validation {
    condition     = var.rate_limit_per_5min == null || try(var.rate_limit_per_5min >= 10, false)
    error_message = "rate_limit_per_5min must be null or at least 10."
  }
}

variable "rate_limit_period" {
  description = "Counting period of the rate limit in seconds (Cloudflare offers 10, 60, 600 and 3600 depending on the plan); the 5-minute budget is scaled to it."
  type        = number
  default     = 60

  validation {
    condition     = contains([10, 60, 600, 3600], var.rate_limit_period)
    error_message = "rate_limit_period must be 10, 60, 600 or 3600."
  }
}

variable "rate_limit_mitigation_timeout" {
  description = "Seconds a client that exceeded the rate limit stays blocked."
  type        = number
  default     = 60

  validation {
    condition     = var.rate_limit_mitigation_timeout >= 0 && var.rate_limit_mitigation_timeout <= 86400
    error_message = "rate_limit_mitigation_timeout must be between 0 and 86400."
  }
}

variable "zone_settings" {
  description = "Zone-wide TLS settings (they apply to every host in the zone): strict origin TLS, TLS 1.2 minimum, HTTPS only."
  type        = map(string)
  default = {
    ssl                      = "strict"
    min_tls_version          = "1.2"
    always_use_https         = "on"
    automatic_https_rewrites = "on"
    tls_1_3                  = "on"
  }
}
