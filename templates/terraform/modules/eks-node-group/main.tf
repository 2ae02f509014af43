# EKS managed node group: Amazon Linux 2023 (Graviton when the instance type is), private subnets, a launch
# template with IMDSv2 only (hop limit 1, so pods use IRSA rather than the node's role) and encrypted volumes,
# and a node role with the managed worker policies plus Session Manager.

data "aws_partition" "current" {}

data "aws_ec2_instance_type" "this" {
  instance_type = var.instance_type
}

locals {
  # Node group names allow 63 characters, IAM role names 64: long names keep a readable head and a hash.
  group_name = length(var.name) <= 63 ? var.name : "${trimsuffix(substr(var.name, 0, 54), "-")}-${substr(md5(var.name), 0, 8)}"
  short_name = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  partition  = data.aws_partition.current.partition
  arm64      = contains(data.aws_ec2_instance_type.this.supported_architectures, "arm64")
  ami_type   = var.ami_type != null ? var.ami_type : (local.arm64 ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD")
}

# ---------------------------------------------------------------------------------------------------------------
# Node role

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name                 = "${local.short_name}-node"
  description          = "Nodes of ${var.name} (pods get their own roles through IRSA)"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
  ])

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

# ---------------------------------------------------------------------------------------------------------------
# Launch template (EKS supplies the AMI and bootstrap; this sets metadata, volumes and tags)

resource "aws_launch_template" "this" {
  name                   = var.name
  description            = "Nodes of ${var.name}: IMDSv2 only, encrypted gp3 root volume"
  ebs_optimized          = true
  update_default_version = true
  tags                   = var.tags

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.disk_size_gb
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
    tags          = merge(var.tags, { Name = var.name })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = var.name })
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Node group

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = local.group_name
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  ami_type        = local.ami_type
  capacity_type   = var.capacity_type
  instance_types  = [var.instance_type]
  labels          = var.labels
  tags            = merge(var.tags, { Name = var.name })

  scaling_config {
    desired_size = var.desired_count
    min_size     = var.min_count
    max_size     = var.max_count
  }

  update_config {
    max_unavailable_percentage = 33
  }

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  node_repair_config {
    enabled = true
  }

  lifecycle {
    # The cluster autoscaler (or Karpenter) owns the running count after the first apply.
    ignore_changes = [scaling_config[0].desired_size]

    precondition {
      condition     = var.min_count <= var.desired_count && var.desired_count <= var.max_count
      error_message = "Counts must satisfy min_count <= desired_count <= max_count."
    }

    precondition {
      condition     = startswith(local.ami_type, "AL2023_ARM_64") || startswith(local.ami_type, "BOTTLEROCKET_ARM_64") ? local.arm64 : true
      error_message = "An arm64 AMI type needs a Graviton instance type."
    }
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}
