# An MSK (Kafka) cluster in private subnets: encrypted at rest with the Region's key, TLS only in transit, IAM
# authentication (port 9098), broker logs in an encrypted CloudWatch log group. Clients are let in by wiring.tf,
# which adds one ingress rule per connected service to the security group below.
locals {
  port               = 9098
  replication_factor = min(3, var.broker_count)
  min_insync         = max(1, local.replication_factor - 1)
  # arn:...:cluster/<name>/<uuid> → the topic and group ARNs of this cluster.
  topic_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":topic/")
  group_arn_prefix = replace(aws_msk_cluster.this.arn, ":cluster/", ":group/")
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-msk-"
  description = "MSK brokers of ${var.name}: clients are allowed in per connection on port 9098 (IAM auth)."
  vpc_id      = var.vpc_id
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "brokers" {
  name              = "/aws/msk/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_msk_configuration" "this" {
  name           = "${var.name}-${replace(var.kafka_version, ".", "-")}"
  kafka_versions = [var.kafka_version]
  description    = "Settings of ${var.name}: no topic auto-creation, replicated writes."

  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=${local.replication_factor}
    min.insync.replicas=${local.min_insync}
    unclean.leader.election.enable=false
  PROPERTIES

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count
  enhanced_monitoring    = "PER_BROKER"
  tags                   = var.tags

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.this.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.volume_gb
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.brokers.name
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.broker_count % length(var.subnet_ids) == 0
      error_message = "broker_count must be a multiple of the number of subnets (MSK spreads brokers evenly across AZs)."
    }
  }
}

# What a producer or consumer needs with IAM auth: connect, read and write this cluster's topics, use consumer groups.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ConnectToCluster"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.this.arn]
  }

  statement {
    sid = "UseTopics"
    actions = [
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:CreateTopic",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
    ]
    resources = ["${local.topic_arn_prefix}/*"]
  }

  statement {
    sid       = "UseConsumerGroups"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = ["${local.group_arn_prefix}/*"]
  }
}
