# One Fargate service: a read-only, non-root task in private subnets, its own task and execution roles, an
# encrypted log group, target tracking on CPU, circuit-breaker rollback, and (when public) ingress only from the
# load balancer.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # IAM role names allow 64 characters: long names keep a readable head and a hash, leaving room for a suffix.
  short_name = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  # The Region, read from the log group's ARN (arn:<partition>:logs:<region>:...): no deprecated data source.
  region = split(":", aws_cloudwatch_log_group.this.arn)[3]

  cpu_units   = floor(var.cpu * 1024)
  cluster_arn = var.own_cluster ? aws_ecs_cluster.own[0].arn : var.cluster_arn
  # arn:<partition>:ecs:<region>:<account>:cluster/<name>
  cluster_name = element(split("/", local.cluster_arn), 1)

  # Fargate's allowed memory (MiB) per task CPU size.
  fargate_memory = {
    "256"   = [512, 1024, 2048]
    "512"   = [for gb in range(1, 5) : gb * 1024]
    "1024"  = [for gb in range(2, 9) : gb * 1024]
    "2048"  = [for gb in range(4, 17) : gb * 1024]
    "4096"  = [for gb in range(8, 31) : gb * 1024]
    "8192"  = [for gb in range(16, 61, 4) : gb * 1024]
    "16384" = [for gb in range(32, 121, 8) : gb * 1024]
  }

  # Pull permissions are scoped to the image's own ECR repository when the image lives in ECR.
  ecr_match      = regexall("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/([^:@]+)", var.container_image)
  ecr_repository = length(local.ecr_match) > 0 ? "arn:${local.partition}:ecr:${local.ecr_match[0][1]}:${local.ecr_match[0][0]}:repository/${local.ecr_match[0][3]}" : null
}

# Only when no shared cluster is given: a minimal cluster of the service's own, with Container Insights.
resource "aws_ecs_cluster" "own" {
  count = var.own_cluster ? 1 : 0

  name = var.name
  tags = merge(var.tags, { Name = var.name })

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      kms_key_id = var.kms_key_arn
      logging    = "OVERRIDE"

      # ECS Exec sessions are logged, encrypted, next to the service's own logs
      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.this.name
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/ecs/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# IAM: the task role the code runs as (data-store access is attached by the root's wiring) and the execution
# role ECS uses to pull the image and ship logs.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task" {
  name                 = "${local.short_name}-task"
  description          = "Runtime identity of the ${var.service_name} tasks (${var.name})"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role" "execution" {
  name                 = "${local.short_name}-execution"
  description          = "ECS agent identity for ${var.name}: pulls the image and writes logs"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = local.ecr_repository == null ? [] : [local.ecr_repository]

    content {
      sid       = "PullTheServiceImage"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.ecr_repository == null ? [] : [1]

    content {
      sid       = "AuthenticateToEcr"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"] # GetAuthorizationToken has no resource-level permissions.
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-image-and-write-logs"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---------------------------------------------------------------------------------------------------------------
# Network: private subnets, ingress only from the load balancer, egress to the VPC (data stores) and HTTPS.

resource "aws_security_group" "this" {
  name        = "${var.name}-tasks"
  description = "Tasks of ${var.name}: ingress only from the load balancer, egress to the VPC and HTTPS"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-tasks" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  count = var.public ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "Container port from the load balancer only"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id
  tags                         = var.tags
}

resource "aws_vpc_security_group_egress_rule" "vpc" {
  security_group_id = aws_security_group.this.id
  description       = "TCP to data stores and services inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 1
  to_port           = 65535
  cidr_ipv4         = var.vpc_cidr_block
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS to AWS APIs and the image registry, through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Task definition and service.

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(local.cpu_units)
  memory                   = tostring(var.memory_mib)
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn
  tags                     = var.tags

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # Writable scratch space for a read-only root filesystem.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = var.service_name
      image                  = var.container_image
      essential              = true
      user                   = var.container_user
      readonlyRootFilesystem = true
      portMappings = [
        {
          name          = "http"
          containerPort = var.container_port
          hostPort      = var.container_port
          protocol      = "tcp"
        },
      ]
      environment = [for key, value in var.environment : { name = key, value = value }]
      mountPoints = [
        {
          sourceVolume  = "tmp"
          containerPath = "/tmp"
          readOnly      = false
        },
      ]
      linuxParameters = {
        initProcessEnabled = true
        capabilities       = { drop = ["ALL"] }
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.this.name
          "awslogs-region"        = local.region
          "awslogs-stream-prefix" = "ecs"
          "mode"                  = "non-blocking"
        }
      }
      stopTimeout = 30
    },
  ])

  lifecycle {
    precondition {
      condition     = contains(local.fargate_memory[tostring(local.cpu_units)], var.memory_mib)
      error_message = "memory_mib ${var.memory_mib} is not a Fargate combination for ${var.cpu} vCPU (allowed: ${join(", ", [for m in local.fargate_memory[tostring(local.cpu_units)] : tostring(m)])})."
    }
  }
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = local.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = var.capacity_provider == "FARGATE" ? "FARGATE" : null
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.public ? var.health_check_grace_period_seconds : null
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"
  enable_execute_command             = false
  availability_zone_rebalancing      = "ENABLED"
  wait_for_steady_state              = false
  tags                               = var.tags

  # Fargate Spot runs on spare capacity at a discount; tasks get two minutes' notice before interruption.
  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider == "FARGATE_SPOT" ? [var.capacity_provider] : []
    content {
      capacity_provider = capacity_provider_strategy.value
      weight            = 1
      base              = 0
    }
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "load_balancer" {
    for_each = var.public ? [1] : []

    content {
      target_group_arn = var.target_group_arn
      container_name   = var.service_name
      container_port   = var.container_port
    }
  }

  lifecycle {
    # Application Auto Scaling owns the running count after the first apply.
    ignore_changes = [desired_count]

    precondition {
      condition     = !var.public || (var.target_group_arn != null && var.alb_security_group_id != null)
      error_message = "A public service needs target_group_arn and alb_security_group_id."
    }

    precondition {
      condition     = var.min_count <= var.desired_count && var.desired_count <= var.max_count
      error_message = "Counts must satisfy min_count <= desired_count <= max_count."
    }

    precondition {
      condition     = var.own_cluster == (var.cluster_arn == null)
      error_message = "Give cluster_arn exactly when own_cluster is false."
    }

    precondition {
      condition     = var.capacity_provider == "FARGATE" || !var.own_cluster
      error_message = "FARGATE_SPOT needs a shared cluster (cluster_arn) with the Fargate capacity providers."
    }
  }

  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${local.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 120
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
