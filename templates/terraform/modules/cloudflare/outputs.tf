output "zone_name" {
  description = "Name of the Cloudflare zone."
  value       = data.cloudflare_zone.this.name
}

output "hostname" {
  description = "The proxied host name users reach the service at."
  value       = cloudflare_dns_record.origin.name
}

output "record_id" {
  description = "ID of the proxied DNS record."
  value       = cloudflare_dns_record.origin.id
}

output "waf_ruleset_id" {
  description = "ID of the zone's managed WAF entry-point ruleset; null without WAF."
  value       = var.enable_waf ? cloudflare_ruleset.waf[0].id : null
}

output "rate_limit_ruleset_id" {
  description = "ID of the zone's rate-limiting entry-point ruleset; null without WAF."
  value       = var.enable_waf ? cloudflare_ruleset.rate_limit[0].id : null
}

output "rate_limit_requests_per_period" {
  description = "The rate limit as Cloudflare counts it: requests per rate_limit_period seconds per IP and data centre."
  value       = local.requests_per_period
}

output "cloudflare_ipv4_cidrs" {
  description = "s3 origins: Cloudflare's IPv4 ranges, for the bucket policy that lets only Cloudflare read the site; null otherwise."
  value       = var.origin_type == "s3" ? data.cloudflare_ip_ranges.this[0].ipv4_cidrs : null
}

output "cloudflare_ipv6_cidrs" {
  description = "s3 origins: Cloudflare's IPv6 ranges; null otherwise."
  value       = var.origin_type == "s3" ? data.cloudflare_ip_ranges.this[0].ipv6_cidrs : null
}
