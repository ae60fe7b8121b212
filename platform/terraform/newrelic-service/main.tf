# Monitoring as code for one service: an alert policy with error-rate and latency conditions on its production app,
# an e-mail destination, channel and workflow that notify the owner, and a dashboard across its environments.
locals {
  alert_apps = join(", ", [for a in var.alert_app_names : "'${a}'"])
}

resource "newrelic_alert_policy" "this" {
  account_id          = var.account_id
  name                = var.name
  incident_preference = "PER_CONDITION"
}

resource "newrelic_nrql_alert_condition" "this" {
  for_each = {
    error_rate = {
      name        = "error rate"
      description = "Share of failed transactions above ${var.error_rate_percent}%"
      select      = "percentage(count(*), WHERE error IS true)"
      threshold   = var.error_rate_percent
    }
    latency = {
      name        = "p95 latency"
      description = "95th percentile response time above ${var.latency_p95_seconds} s"
      select      = "percentile(duration, 95)"
      threshold   = var.latency_p95_seconds
    }
  }

  account_id                   = var.account_id
  policy_id                    = newrelic_alert_policy.this.id
  type                         = "static"
  name                         = "${var.name}: ${each.value.name}"
  description                  = each.value.description
  runbook_url                  = var.runbook_url
  enabled                      = true
  violation_time_limit_seconds = 86400
  aggregation_window           = 60
  aggregation_method           = "event_flow"
  aggregation_delay            = 120

  nrql {
    query = "SELECT ${each.value.select} FROM Transaction WHERE appName IN (${local.alert_apps})"
  }

  critical {
    operator              = "above"
    threshold             = each.value.threshold
    threshold_duration    = 300
    threshold_occurrences = "all"
  }
}

resource "newrelic_notification_destination" "owner" {
  account_id = var.account_id
  name       = "${var.name} owners"
  type       = "EMAIL"

  property {
    key   = "email"
    value = join(",", var.alert_emails)
  }
}

resource "newrelic_notification_channel" "owner" {
  account_id     = var.account_id
  name           = "${var.name} owners"
  type           = "EMAIL"
  destination_id = newrelic_notification_destination.owner.id
  product        = "IINT"

  property {
    key   = "subject"
    value = "${var.name}: {{ issueTitle }}"
  }
}

resource "newrelic_workflow" "owner" {
  account_id            = var.account_id
  name                  = "${var.name} incidents"
  muting_rules_handling = "NOTIFY_ALL_ISSUES"

  issues_filter {
    name = "${var.name} policy"
    type = "FILTER"

    predicate {
      attribute = "labels.policyIds"
      operator  = "EXACTLY_MATCHES"
      values    = [newrelic_alert_policy.this.id]
    }
  }

  destination {
    channel_id = newrelic_notification_channel.owner.id
  }
}

resource "newrelic_one_dashboard" "this" {
  account_id  = var.account_id
  name        = var.name
  permissions = "public_read_only"

  dynamic "page" {
    for_each = var.dashboard_app_names
    content {
      name = page.key

      widget_billboard {
        title  = "Throughput (rpm)"
        row    = 1
        column = 1
        width  = 4
        height = 3
        nrql_query {
          account_id = var.account_id
          query      = "SELECT rate(count(*), 1 minute) FROM Transaction WHERE appName = '${page.value}' SINCE 30 minutes ago"
        }
      }

      widget_line {
        title  = "Error rate (%)"
        row    = 1
        column = 5
        width  = 4
        height = 3
        nrql_query {
          account_id = var.account_id
          query      = "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = '${page.value}' TIMESERIES SINCE 1 day ago"
        }
      }

      widget_line {
        title  = "Response time p50 / p95 (s)"
        row    = 1
        column = 9
        width  = 4
        height = 3
        nrql_query {
          account_id = var.account_id
          query      = "SELECT percentile(duration, 50, 95) FROM Transaction WHERE appName = '${page.value}' TIMESERIES SINCE 1 day ago"
        }
      }
    }
  }
}
