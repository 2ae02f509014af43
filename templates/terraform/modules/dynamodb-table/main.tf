# One DynamoDB table in a generic single-table design: every item is addressed by a string partition key `pk` and a
# string sort key `sk` (e.g. pk = "ORDER#123", sk = "ITEM#1"), so one table holds several entity types and their
# relationships; add global secondary indexes for other access patterns. Encrypted with the Region's KMS key,
# point-in-time recovery on, deletion protection on. With replica_regions set it becomes a global table, each replica
# encrypted with its own Region's key and with point-in-time recovery of its own.
#
# Restore (backup and restore): restore_source_table_arn creates the table from another table's point-in-time
# recovery (also across Regions), at restore_date_time or the latest restorable time. The provider cannot create a
# table from a backup ARN; restoring an AWS Backup recovery point is done with AWS Backup, then imported.

locals {
  provisioned = var.billing_mode == "PROVISIONED"
  restored    = var.restore_source_table_arn != null
  global      = length(var.replica_regions) > 0

  # The Region's AWS Backup plan selects resources by this tag.
  backup_tags = var.backup ? { "archgen:backup" = "true" } : {}

  # ARN fields of the table: arn:<partition>:dynamodb:<region>:<account>:table/<name>
  arn_parts = split(":", aws_dynamodb_table.this.arn)
  partition = local.arn_parts[1]
  region    = local.arn_parts[3]
  account   = local.arn_parts[4]

  table_arns = concat(
    [aws_dynamodb_table.this.arn],
    [for r in var.replica_regions : "arn:${local.partition}:dynamodb:${r}:${local.account}:table/${var.name}"],
  )
  kms_key_arns = concat([var.kms_key_arn], [for r in var.replica_regions : var.replica_kms_key_arns[r]])
  regions      = concat([local.region], var.replica_regions)

  autoscaling = local.provisioned ? {
    read  = { dimension = "dynamodb:table:ReadCapacityUnits", metric = "DynamoDBReadCapacityUtilization", min = var.read_capacity, max = var.max_read_capacity }
    write = { dimension = "dynamodb:table:WriteCapacityUnits", metric = "DynamoDBWriteCapacityUtilization", min = var.write_capacity, max = var.max_write_capacity }
  } : {}
}

resource "aws_dynamodb_table" "this" {
  name           = var.name
  billing_mode   = var.billing_mode
  read_capacity  = local.provisioned ? var.read_capacity : null
  write_capacity = local.provisioned ? var.write_capacity : null
  hash_key       = "pk"
  range_key      = "sk"

  # Global tables replicate through streams.
  stream_enabled   = local.global
  stream_view_type = local.global ? "NEW_AND_OLD_IMAGES" : null

  deletion_protection_enabled = var.deletion_protection

  restore_source_table_arn = var.restore_source_table_arn
  restore_source_name      = local.restored ? element(split("/", var.restore_source_table_arn), 1) : null
  restore_date_time        = var.restore_date_time
  restore_to_latest_time   = local.restored && var.restore_date_time == null ? true : null

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  dynamic "replica" {
    for_each = toset(var.replica_regions)
    content {
      region_name            = replica.value
      kms_key_arn            = var.replica_kms_key_arns[replica.value]
      point_in_time_recovery = true
      propagate_tags         = true
    }
  }

  tags = merge(var.tags, local.backup_tags)

  lifecycle {
    precondition {
      condition     = var.restore_date_time == null || local.restored
      error_message = "restore_date_time needs restore_source_table_arn."
    }

    precondition {
      condition     = alltrue([for r in var.replica_regions : contains(keys(var.replica_kms_key_arns), r)])
      error_message = "replica_kms_key_arns needs a KMS key ARN for every Region in replica_regions."
    }

    precondition {
      condition     = !local.provisioned || (var.read_capacity != null && var.write_capacity != null && var.max_read_capacity != null && var.max_write_capacity != null)
      error_message = "PROVISIONED billing needs read_capacity, write_capacity, max_read_capacity and max_write_capacity."
    }
  }
}

# PROVISIONED only: target tracking keeps consumed capacity near 70 % of provisioned, between the floor and ceiling.
resource "aws_appautoscaling_target" "this" {
  for_each = local.autoscaling

  service_namespace  = "dynamodb"
  resource_id        = "table/${aws_dynamodb_table.this.name}"
  scalable_dimension = each.value.dimension
  min_capacity       = each.value.min
  max_capacity       = each.value.max
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.autoscaling

  name               = "${var.name}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 70

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}

# What a service needs: item reads and writes on the table (and its replicas) and its indexes, and the use of the
# tables' KMS keys through DynamoDB. No table administration.
data "aws_iam_policy_document" "access" {
  statement {
    sid = "ReadWriteItems"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]
    resources = concat(local.table_arns, [for arn in local.table_arns : "${arn}/index/*"])
  }

  statement {
    sid       = "UseTableKeysThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = local.kms_key_arns

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [for r in local.regions : "dynamodb.${r}.amazonaws.com"]
    }
  }
}
