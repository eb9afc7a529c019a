locals {
  groups = {
    api = {
      instance_type = var.api_instance_type
      min           = var.api_min
      max           = var.api_max
      sg            = aws_security_group.api.id
    }
    worker = {
      instance_type = var.worker_instance_type
      min           = var.worker_min
      max           = var.worker_max
      sg            = aws_security_group.worker.id
    }
  }
}

resource "aws_launch_template" "node" {
  for_each               = local.groups
  name_prefix            = "${var.name}-${each.key}-"
  image_id               = var.ami_id
  instance_type          = each.value.instance_type
  vpc_security_group_ids = [each.value.sg]
  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }
  metadata_options {
    http_tokens = "required" # IMDSv2 only
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 20
      encrypted   = true
    }
  }
  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    kind         = each.key
    download_url = var.inkform_download_url
    region       = var.region
    secret_arn   = aws_secretsmanager_secret.inkform.arn
    bucket       = aws_s3_bucket.objects.bucket
    redis_host   = aws_elasticache_replication_group.main.primary_endpoint_address
    public_url   = var.public_url
    vpc_cidr     = var.vpc_cidr
    asg_name     = "${var.name}-${each.key}"
    unit         = file("${path.module}/../../systemd/inkform-${each.key}.service")
  }))
}

resource "aws_autoscaling_group" "node" {
  for_each            = local.groups
  name                = "${var.name}-${each.key}"
  min_size            = each.value.min
  max_size            = each.value.max
  vpc_zone_identifier = aws_subnet.private[*].id
  target_group_arns   = each.key == "api" ? [aws_lb_target_group.api.arn] : []
  health_check_type   = each.key == "api" ? "ELB" : "EC2"
  # Workers hand back their jobs on SIGTERM within --shutdown-timeout.
  default_instance_warmup = 120
  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 90
    }
  }
  tag {
    key                 = "Name"
    value               = "${var.name}-${each.key}"
    propagate_at_launch = true
  }
}

# API nodes scale on CPU.
resource "aws_autoscaling_policy" "api_cpu" {
  name                   = "cpu"
  autoscaling_group_name = aws_autoscaling_group.node["api"].name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = 60
  }
}

# Workers scale on available jobs per in-service worker.
resource "aws_autoscaling_policy" "worker_queue" {
  name                   = "queue-depth"
  autoscaling_group_name = aws_autoscaling_group.node["worker"].name
  policy_type            = "TargetTrackingScaling"
  target_tracking_configuration {
    target_value = var.worker_jobs_per_instance
    customized_metric_specification {
      metrics {
        id          = "jobs"
        return_data = false
        metric_stat {
          stat = "Maximum"
          metric {
            namespace   = "inkform"
            metric_name = "JobsAvailable"
            dimensions {
              name  = "AutoScalingGroupName"
              value = "${var.name}-worker"
            }
          }
        }
      }
      metrics {
        id          = "instances"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/AutoScaling"
            metric_name = "GroupInServiceInstances"
            dimensions {
              name  = "AutoScalingGroupName"
              value = "${var.name}-worker"
            }
          }
        }
      }
      metrics {
        id          = "per_instance"
        expression  = "jobs / MAX([instances, 1])"
        return_data = true
      }
    }
  }
}

# --- the load balancer: HTTPS on 443 only -----------------------------------

resource "aws_lb" "main" {
  name                       = var.name
  load_balancer_type         = "application"
  subnets                    = aws_subnet.public[*].id
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
}

resource "aws_lb_target_group" "api" {
  name                 = "${var.name}-api"
  port                 = 8080
  protocol             = "HTTP"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 15
  health_check {
    path                = "/readyz"
    interval            = 5
    timeout             = 3
    healthy_threshold   = 2
    unhealthy_threshold = 2
    matcher             = "200"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.domain_certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

# /metrics stays inside the VPC.
resource "aws_lb_listener_rule" "no_metrics" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1
  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }
  action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

# --- an optional bastion (off by default) ------------------------------------

resource "aws_instance" "bastion" {
  count                       = var.bastion ? 1 : 0
  ami                         = var.ami_id
  instance_type               = "t4g.nano"
  subnet_id                   = aws_subnet.public[0].id
  vpc_security_group_ids      = [aws_security_group.bastion[0].id]
  associate_public_ip_address = true
  metadata_options {
    http_tokens = "required"
  }
  tags = { Name = "${var.name}-bastion" }
}

resource "aws_security_group_rule" "ssh_from_bastion" {
  for_each                 = var.bastion ? local.groups : {}
  type                     = "ingress"
  from_port                = 22
  to_port                  = 22
  protocol                 = "tcp"
  security_group_id        = each.value.sg
  source_security_group_id = aws_security_group.bastion[0].id
}
