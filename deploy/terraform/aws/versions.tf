# The seed's AWS layout for inkform: two availability zones, an ALB on 443
# only, API and worker auto-scaling groups, RDS MySQL multi-AZ with a read
# replica, ElastiCache Redis, S3 with versioning, and no bastion unless
# asked for (instances are reached through SSM Session Manager).
#
# terraform init && terraform apply -var-file=prod.tfvars
#
# CI checks formatting and syntax offline (scripts/check-deploy.sh);
# `terraform validate` needs the providers, so run it where they can be
# downloaded.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Application = "inkform"
      Environment = var.name
    }
  }
}
