# A Cloudflare edge for the service: a proxied DNS record for domain_name pointing at the origin (through Cloud
# Connector for an S3 bucket), zone TLS settings (strict origin TLS, TLS 1.2+, HTTPS only), a cache rule and, with
# the design's WAF, the Cloudflare Managed Ruleset and a per-IP rate limit. Each ruleset is the zone's entry point
# for its phase, and the Cloud Connector rules are the zone's only set: Terraform owns them.
data "cloudflare_zone" "this" {
  zone_id = var.zone_id
}

locals {
  host_match = "(http.host eq \"${var.domain_name}\")"
  static_match = format(
    "(http.host eq \"%s\" and http.request.uri.path.extension in {%s})",
    var.domain_name,
    join(" ", [for e in var.static_extensions : "\"${e}\""]),
  )
  # Cloudflare counts over 10 s, 1 min, 10 min or 1 h: scale the 5-minute budget to the chosen period.
  requests_per_period = var.rate_limit_per_5min == null ? null : max(1, ceil(var.rate_limit_per_5min * var.rate_limit_period / 300))
  # The Cloudflare Managed Ruleset (its well-known ID).
  cloudflare_managed_ruleset_id = "efb7b8c949ac4650a09736fc376e9aee"
}

resource "cloudflare_dns_record" "origin" {
  zone_id = var.zone_id
  name    = var.domain_name
  type    = "CNAME"
  content = var.origin_hostname
  proxied = true
  ttl     = 1 # automatic: required for proxied records
  comment = "${var.name}: proxied to the origin; managed by Terraform"

  lifecycle {
    precondition {
      condition     = var.domain_name == data.cloudflare_zone.this.name || endswith(var.domain_name, ".${data.cloudflare_zone.this.name}")
      error_message = "domain_name must be the Cloudflare zone's name or a name inside it."
    }
  }
}

resource "cloudflare_zone_setting" "this" {
  for_each = var.zone_settings

  zone_id    = var.zone_id
  setting_id = each.key
  value      = each.value
}

resource "cloudflare_ruleset" "cache" {
  zone_id     = var.zone_id
  name        = "${var.name}-cache"
  description = "What Cloudflare caches for ${var.domain_name}."
  kind        = "zone"
  phase       = "http_request_cache_settings"

  rules = [
    {
      ref         = "cache_${replace(var.name, "-", "_")}"
      description = var.cache_everything ? "Cache every response of the static site" : "Cache static assets only"
      expression  = var.cache_everything ? local.host_match : local.static_match
      action      = "set_cache_settings"
      enabled     = true
      action_parameters = {
        cache = true
        edge_ttl = {
          mode = "respect_origin"
        }
        browser_ttl = {
          mode = "respect_origin"
        }
      }
    },
  ]
}

# S3 answers only to its own host name: Cloud Connector (every plan) rewrites Host and SNI to the bucket's.
resource "cloudflare_cloud_connector_rules" "s3" {
  count = var.origin_type == "s3" ? 1 : 0

  zone_id = var.zone_id

  rules = [
    {
      description = "${var.name}: serve ${var.domain_name} from its S3 bucket"
      expression  = local.host_match
      enabled     = true
      provider    = "aws_s3"
      parameters = {
        host = var.origin_hostname
      }
    },
  ]
}

# Cloudflare's address ranges, for an S3 origin's bucket policy (the bucket must accept reads from Cloudflare only).
data "cloudflare_ip_ranges" "this" {
  count = var.origin_type == "s3" ? 1 : 0
}

resource "cloudflare_ruleset" "waf" {
  count = var.enable_waf ? 1 : 0

  zone_id     = var.zone_id
  name        = "${var.name}-waf"
  description = "Cloudflare Managed Ruleset for ${var.domain_name}."
  kind        = "zone"
  phase       = "http_request_firewall_managed"

  rules = [
    {
      ref         = "managed_${replace(var.name, "-", "_")}"
      description = "Execute the Cloudflare Managed Ruleset"
      expression  = local.host_match
      action      = "execute"
      enabled     = true
      action_parameters = {
        id = local.cloudflare_managed_ruleset_id
      }
    },
  ]
}

resource "cloudflare_ruleset" "rate_limit" {
  count = var.enable_waf ? 1 : 0

  zone_id     = var.zone_id
  name        = "${var.name}-rate-limit"
  description = "Per-IP rate limit for ${var.domain_name}."
  kind        = "zone"
  phase       = "http_ratelimit"

  rules = [
    {
      ref         = "ratelimit_${replace(var.name, "-", "_")}"
      description = "Block an IP above ${coalesce(var.rate_limit_per_5min, 0)} requests per 5 minutes"
      expression  = local.host_match
      action      = "block"
      enabled     = true
      ratelimit = {
        characteristics     = ["cf.colo.id", "ip.src"]
        period              = var.rate_limit_period
        requests_per_period = local.requests_per_period
        mitigation_timeout  = var.rate_limit_mitigation_timeout
      }
    },
  ]

  lifecycle {
    precondition {
      condition     = var.rate_limit_per_5min != null
      error_message = "enable_waf needs rate_limit_per_5min."
    }
  }
}
