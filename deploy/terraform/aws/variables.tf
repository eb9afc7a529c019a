variable "name" {
  description = "Name of this deployment, a prefix of every resource (e.g. inkform-prod)."
  type        = string
  default     = "inkform-prod"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-central-1"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; split into public and private subnets in two zones."
  type        = string
  default     = "10.40.0.0/16"
}

variable "domain_certificate_arn" {
  description = "ACM certificate of the public host name, for the ALB's HTTPS listener."
  type        = string
}

variable "public_url" {
  description = "The public base URL (https://forms.example.org): links in webhooks and e-mails."
  type        = string
}

variable "ami_id" {
  description = "AMI of the nodes (e.g. Debian 12 or Amazon Linux 2023); user data installs inkform."
  type        = string
}

variable "inkform_download_url" {
  description = "Where the nodes fetch the inkform release binary (e.g. an S3 URL in your account)."
  type        = string
}

variable "api_instance_type" {
  type    = string
  default = "c7i.large"
}

variable "worker_instance_type" {
  type    = string
  default = "c7i.xlarge"
}

variable "api_min" {
  type    = number
  default = 2
}

variable "api_max" {
  type    = number
  default = 10
}

variable "worker_min" {
  type    = number
  default = 2
}

variable "worker_max" {
  type    = number
  default = 20
}

variable "worker_jobs_per_instance" {
  description = "Available jobs per worker instance that the worker group's scaling keeps (metric inkform/JobsAvailable)."
  type        = number
  default     = 200
}

variable "db_instance_class" {
  type    = string
  default = "db.r7g.large"
}

variable "db_allocated_storage" {
  description = "GiB of the database's storage; it grows on its own up to 10 times this."
  type        = number
  default     = 100
}

variable "redis_node_type" {
  type    = string
  default = "cache.t4g.small"
}

variable "bastion" {
  description = "Start an SSH bastion in a public subnet. Off: reach instances with SSM Session Manager."
  type        = bool
  default     = false
}

variable "bastion_allowed_cidr" {
  description = "Who may reach the bastion's SSH port, when there is one."
  type        = string
  default     = "203.0.113.0/32"
}
