# The IAM role Paved's portal runs as, through EKS Pod Identity: it lists and describes the EKS clusters it reads and
# assumes the roles that reach other accounts' clusters. Nothing else: GitHub, Argo CD and New Relic are reached with
# their own tokens, and PostgreSQL with its password.
data "aws_iam_policy_document" "portal" {
  statement {
    sid       = "ListClusters"
    actions   = ["eks:ListClusters"]
    resources = ["*"]
  }
  statement {
    sid       = "ReadClusters"
    actions   = ["eks:DescribeCluster"]
    resources = var.cluster_arns
  }
  dynamic "statement" {
    for_each = length(var.assume_role_arns) > 0 ? [1] : []
    content {
      sid       = "AssumeClusterRoles"
      actions   = ["sts:AssumeRole", "sts:TagSession"]
      resources = var.assume_role_arns
    }
  }
  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }
}

# The role, its Pod Identity trust and the association: the platform's pod-identity-role module, as every service's.
module "role" {
  source          = "../pod-identity-role"
  name            = var.name
  clusters        = [var.cluster_name]
  namespace       = var.namespace
  service_account = var.service_account
  policy_json     = data.aws_iam_policy_document.portal.json
  tags            = var.tags
}
