{{/* The chart's names and labels, shared by every template. */}}

{{- define "inkform.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "inkform.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* selector labels of one component: api, worker or migrate */}}
{{- define "inkform.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "inkform.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "inkform.secretName" -}}
{{- .Values.secret.existing | default (printf "%s-shared" (include "inkform.fullname" .)) -}}
{{- end -}}

{{- define "inkform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "inkform.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The settings every node shares: the Secret and the plain config. */}}
{{- define "inkform.envFrom" -}}
- secretRef:
    name: {{ include "inkform.secretName" . }}
- configMapRef:
    name: {{ include "inkform.fullname" . }}-config
{{- end -}}

{{/* The pod settings every component shares. */}}
{{- define "inkform.podCommon" -}}
serviceAccountName: {{ include "inkform.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The /data volume: scratch space only; state is in the database and S3. */}}
{{- define "inkform.dataVolume" -}}
- name: data
  emptyDir: {}
{{- end -}}
