terraform {
  # 1.11: the master password of a global database is a write-only argument fed by an ephemeral resource, so it
  # never reaches the plan or the state.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
