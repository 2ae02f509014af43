# One service on an EC2 Auto Scaling group: Amazon Linux 2023 instances in private subnets (no public IPs, IMDSv2
# only, encrypted volumes, SSM instead of SSH) run the service's container read-only and as non-root; target
# tracking on CPU; registered with the load balancer's target group when public.

data "aws_partition" "current" {}

data "aws_ec2_instance_type" "this" {
  instance_type = var.instance_type
}

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0

  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${local.architecture}"
}

locals {
  # IAM role names allow 64 characters: long names keep a readable head and a hash, leaving room for a suffix.
  short_name   = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  partition    = data.aws_partition.current.partition
  architecture = contains(data.aws_ec2_instance_type.this.supported_architectures, "arm64") ? "arm64" : "x86_64"
  ami_id       = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value
  # The Region, read from the log group's ARN (arn:<partition>:logs:<region>:...): no deprecated data source.
  region = split(":", aws_cloudwatch_log_group.this.arn)[3]

  # Pull permissions are scoped to the image's own ECR repository when the image lives in ECR.
  ecr_match      = regexall("^(([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?)/([^:@]+)", var.container_image)
  ecr_registry   = length(local.ecr_match) > 0 ? local.ecr_match[0][0] : null
  ecr_region     = length(local.ecr_match) > 0 ? local.ecr_match[0][2] : null
  ecr_repository = length(local.ecr_match) > 0 ? "arn:${local.partition}:ecr:${local.ecr_match[0][2]}:${local.ecr_match[0][1]}:repository/${local.ecr_match[0][4]}" : null

  user_data = <<-EOT
    #!/bin/bash
    # Runs ${var.service_name} as a read-only, unprivileged container, logging to CloudWatch.
    set -euo pipefail
    dnf install -y docker
    systemctl enable --now docker
    %{~if local.ecr_registry != null~}
    aws ecr get-login-password --region ${local.ecr_region} | docker login --username AWS --password-stdin ${local.ecr_registry}
    %{~endif~}
    install -m 0600 /dev/null /etc/${var.service_name}.env
    cat > /etc/${var.service_name}.env <<'ENV'
    %{~for key, value in var.environment~}
    ${key}=${value}
    %{~endfor~}
    ENV
    docker run --detach --name ${var.service_name} --restart always \
      --network host --read-only --tmpfs /tmp:rw,noexec,nosuid \
      --user ${var.container_user} --cap-drop ALL --security-opt no-new-privileges \
      --env-file /etc/${var.service_name}.env --env PORT=${var.container_port} \
      --log-driver awslogs --log-opt awslogs-region=${local.region} \
      --log-opt awslogs-group=${aws_cloudwatch_log_group.this.name} \
      ${var.container_image}
  EOT
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/ec2/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# IAM: the instance role the service runs as (data-store access is attached by the root's wiring), with Session
# Manager access instead of SSH.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${local.short_name}-instance"
  description          = "Runtime identity of the ${var.service_name} instances (${var.name})"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
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

resource "aws_iam_role_policy" "this" {
  name   = "logs-and-image"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_iam_instance_profile" "this" {
  name = "${local.short_name}-instance"
  role = aws_iam_role.this.name
  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Network: ingress only from the load balancer, egress to the VPC (data stores) and HTTPS.

resource "aws_security_group" "this" {
  name        = "${var.name}-instances"
  description = "Instances of ${var.name}: ingress only from the load balancer, egress to the VPC and HTTPS"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-instances" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  count = var.public ? 1 : 0

  security_group_id            = aws_security_group.this.id
  description                  = "Service port from the load balancer only"
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
  description       = "HTTPS to AWS APIs, package repositories and the image registry, through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Launch template and group

resource "aws_launch_template" "this" {
  name                   = var.name
  description            = "${var.service_name} on ${var.instance_type} (${local.architecture})"
  image_id               = local.ami_id
  instance_type          = var.instance_type
  ebs_optimized          = true
  user_data              = base64encode(local.user_data)
  update_default_version = true
  tags                   = var.tags

  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [aws_security_group.this.id]
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.root_volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = var.name, Service = var.service_name })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = var.name, Service = var.service_name })
  }
}

resource "aws_autoscaling_group" "this" {
  name                      = var.name
  vpc_zone_identifier       = var.subnet_ids
  min_size                  = var.min_count
  max_size                  = var.max_count
  desired_capacity          = var.desired_count
  health_check_type         = var.public ? "ELB" : "EC2"
  health_check_grace_period = var.health_check_grace_period_seconds
  default_instance_warmup   = 120
  target_group_arns         = var.public ? [var.target_group_arn] : []
  wait_for_capacity_timeout = "0"
  enabled_metrics = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMaxSize",
    "GroupMinSize",
    "GroupPendingInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
  ]

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 90
      auto_rollback          = true
    }
  }

  tag {
    key                 = "Name"
    value               = var.name
    propagate_at_launch = true
  }

  dynamic "tag" {
    for_each = var.tags

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # Target tracking owns the running count after the first apply.
    ignore_changes = [desired_capacity]

    precondition {
      condition     = !var.public || (var.target_group_arn != null && var.alb_security_group_id != null)
      error_message = "A public group needs target_group_arn and alb_security_group_id."
    }

    precondition {
      condition     = var.min_count <= var.desired_count && var.desired_count <= var.max_count
      error_message = "Counts must satisfy min_count <= desired_count <= max_count."
    }
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${var.name}-cpu"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.cpu_target_percent

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}
