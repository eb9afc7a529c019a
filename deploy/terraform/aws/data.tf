# --- secrets: the shared secret key and the database password -------------

resource "random_password" "db" {
  length  = 32
  special = false
}

resource "random_bytes" "secret_key" {
  length = 32
}

# Every node reads these at boot (user data) into its environment; they
# never appear in a process listing or the launch template.
resource "aws_secretsmanager_secret" "inkform" {
  name = "${var.name}/inkform"
}

resource "aws_secretsmanager_secret_version" "inkform" {
  secret_id = aws_secretsmanager_secret.inkform.id
  secret_string = jsonencode({
    INKFORM_SECRET_KEY = random_bytes.secret_key.base64
    INKFORM_DB         = "mysql://inkform:${random_password.db.result}@tcp(${aws_db_instance.main.endpoint})/inkform?tls=true"
    INKFORM_READ_DB    = "mysql://inkform:${random_password.db.result}@tcp(${aws_db_instance.replica.endpoint})/inkform?tls=true"
  })
}

# --- RDS MySQL, multi-AZ, with a read replica ---------------------------------

resource "aws_db_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "main" {
  name   = var.name
  family = "mysql8.0"
  # inkform stores text as utf8mb4 and compares IDs byte by byte.
  parameter {
    name  = "character_set_server"
    value = "utf8mb4"
  }
  parameter {
    name  = "collation_server"
    value = "utf8mb4_bin"
  }
  parameter {
    name  = "require_secure_transport"
    value = "ON"
  }
}

resource "aws_db_instance" "main" {
  identifier                   = var.name
  engine                       = "mysql"
  engine_version               = "8.0"
  instance_class               = var.db_instance_class
  allocated_storage            = var.db_allocated_storage
  max_allocated_storage        = var.db_allocated_storage * 10
  storage_type                 = "gp3"
  storage_encrypted            = true
  multi_az                     = true
  db_name                      = "inkform"
  username                     = "inkform"
  password                     = random_password.db.result
  db_subnet_group_name         = aws_db_subnet_group.main.name
  vpc_security_group_ids       = [aws_security_group.data.id]
  parameter_group_name         = aws_db_parameter_group.main.name
  backup_retention_period      = 14
  deletion_protection          = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${var.name}-final"
  auto_minor_version_upgrade   = true
  performance_insights_enabled = true
}

resource "aws_db_instance" "replica" {
  identifier             = "${var.name}-replica"
  replicate_source_db    = aws_db_instance.main.identifier
  instance_class         = var.db_instance_class
  storage_encrypted      = true
  vpc_security_group_ids = [aws_security_group.data.id]
  parameter_group_name   = aws_db_parameter_group.main.name
  skip_final_snapshot    = true
}

# --- ElastiCache Redis: cross-node wake-ups and cache invalidation (--redis) --

resource "aws_elasticache_subnet_group" "main" {
  name       = var.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "main" {
  replication_group_id       = var.name
  description                = "inkform wake-ups and cache invalidation"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.redis_node_type
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.data.id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}

# --- S3: every object (ink, PDFs, backgrounds, cutouts), versioned ----------

resource "aws_s3_bucket" "objects" {
  bucket_prefix = "${var.name}-objects-"
}

resource "aws_s3_bucket_versioning" "objects" {
  bucket = aws_s3_bucket.objects.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "objects" {
  bucket = aws_s3_bucket.objects.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "objects" {
  bucket                  = aws_s3_bucket.objects.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Purged documents must be gone, not kept as old versions for ever: old
# versions expire after the backup window.
resource "aws_s3_bucket_lifecycle_configuration" "objects" {
  bucket = aws_s3_bucket.objects.id
  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}
