{{- define "paved-portal.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "paved-portal.selectorLabels" -}}
app.kubernetes.io/name: paved-portal
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "paved-portal.labels" -}}
{{ include "paved-portal.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "paved-portal.host" -}}
{{- $url := urlParse .Values.baseUrl -}}
{{- required "baseUrl must be an https:// URL with a host" $url.host -}}
{{- end -}}
