# The IAM role Paved's portal runs as, through EKS Pod Identity: it lists and describes the EKS clusters it reads and
# assumes the roles that reach other accounts' clusters. Nothing else: GitHub, Argo CD and New Relic are reached with
# their own tokens, and PostgreSQL with its password.
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "Paved's portal (${var.namespace}/${var.service_account} on ${var.cluster_name})"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

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

resource "aws_iam_role_policy" "portal" {
  name   = "portal"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.portal.json
}

resource "aws_eks_pod_identity_association" "this" {
  cluster_name    = var.cluster_name
  namespace       = var.namespace
  service_account = var.service_account
  role_arn        = aws_iam_role.this.arn
  tags            = var.tags
}
