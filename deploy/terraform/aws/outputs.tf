output "alb_dns_name" {
  description = "Point the public host name (a CNAME or alias) here."
  value       = aws_lb.main.dns_name
}

output "bucket" {
  value = aws_s3_bucket.objects.bucket
}

output "db_endpoint" {
  value = aws_db_instance.main.endpoint
}

output "db_replica_endpoint" {
  value = aws_db_instance.replica.endpoint
}

output "redis_endpoint" {
  value = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "secret_arn" {
  description = "The shared settings (secret key, DSNs) every node reads at boot."
  value       = aws_secretsmanager_secret.inkform.arn
}
