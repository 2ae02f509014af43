output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the cluster."
  value       = aws_eks_cluster.this.arn
}

output "endpoint" {
  description = "Private endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "certificate_authority_data" {
  description = "Base64 certificate of the cluster's CA, for kubeconfig."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider for IRSA trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "OIDC issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/<id>)."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "cluster_security_group_id" {
  description = "Security group EKS created for the cluster, shared by the control plane and managed nodes: pods reach data stores from it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "control_plane_security_group_id" {
  description = "Additional security group of the API endpoint (HTTPS from the VPC)."
  value       = aws_security_group.control_plane.id
}

output "cluster_role_name" {
  description = "Name of the control plane's IAM role."
  value       = aws_iam_role.cluster.name
}
