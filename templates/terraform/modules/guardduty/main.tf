# The Region's GuardDuty detector with the protection plans a workload account turns on: S3 data events, EBS malware
# scans, RDS login events, Lambda network activity, and for container designs EKS audit logs and Runtime Monitoring
# (EKS, ECS on Fargate, EC2) with GuardDuty managing its agent. Plans are set as detector features (the datasources
# block is deprecated); a plan turned off is set DISABLED explicitly, so the detector matches the inputs.
# `enabled = false` creates nothing (the organisation's delegated administrator runs GuardDuty here).

locals {
  count = var.enabled ? 1 : 0

  runtime_monitoring = var.eks || var.ecs_fargate_runtime_monitoring || var.ec2_runtime_monitoring

  # feature name => whether it is on, and its additional configurations (name => on).
  features = {
    S3_DATA_EVENTS         = { on = var.s3_protection, additional = {} }
    EKS_AUDIT_LOGS         = { on = var.eks, additional = {} }
    EBS_MALWARE_PROTECTION = { on = var.malware_protection, additional = {} }
    RDS_LOGIN_EVENTS       = { on = var.rds_protection, additional = {} }
    LAMBDA_NETWORK_LOGS    = { on = var.lambda_protection, additional = {} }
    # Runtime Monitoring supersedes EKS_RUNTIME_MONITORING (the API rejects both in one detector update).
    RUNTIME_MONITORING = {
      on = local.runtime_monitoring
      additional = {
        EKS_ADDON_MANAGEMENT         = var.eks
        ECS_FARGATE_AGENT_MANAGEMENT = var.ecs_fargate_runtime_monitoring
        EC2_AGENT_MANAGEMENT         = var.ec2_runtime_monitoring
      }
    }
  }
}

resource "aws_guardduty_detector" "this" {
  #checkov:skip=CKV2_AWS_3:Auto-enabling GuardDuty for the organisation (aws_guardduty_organization_configuration) can only be done from the organisation's GuardDuty delegated administrator account; this module runs in a workload account and turns GuardDuty on for that account and Region.
  count = local.count

  enable                       = true
  finding_publishing_frequency = var.finding_publishing_frequency
  tags                         = var.tags
}

resource "aws_guardduty_detector_feature" "this" {
  for_each = var.enabled ? local.features : {}

  detector_id = aws_guardduty_detector.this[0].id
  name        = each.key
  status      = each.value.on ? "ENABLED" : "DISABLED"

  dynamic "additional_configuration" {
    for_each = each.value.additional
    content {
      name   = additional_configuration.key
      status = additional_configuration.value ? "ENABLED" : "DISABLED"
    }
  }
}
