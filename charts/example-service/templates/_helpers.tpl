{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "example-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified name: the release name alone when it already contains the chart name. */}}
{{- define "example-service.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "example-service.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "example-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "example-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "example-service.labels" -}}
helm.sh/chart: {{ include "example-service.chart" . }}
{{ include "example-service.selectorLabels" . }}
app.kubernetes.io/version: {{ include "example-service.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: example-service
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Version label: the image tag, or the short digest when the image is pinned (labels cannot hold "sha256:"). */}}
{{- define "example-service.version" -}}
{{- if .Values.image.digest }}
{{- .Values.image.digest | trimPrefix "sha256:" | trunc 12 }}
{{- else }}
{{- default .Chart.AppVersion .Values.image.tag | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* "annotations:" block of commonAnnotations merged with a resource's own ("extra"); empty when both are. */}}
{{- define "example-service.annotations" -}}
{{- $all := merge (deepCopy (default dict .extra)) .context.Values.commonAnnotations }}
{{- with $all -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* repository@digest when a digest is set (the tag is then ignored), else repository:tag. */}}
{{- define "example-service.imageRef" -}}
{{- if .digest }}
{{- printf "%s@%s" .repository .digest }}
{{- else }}
{{- printf "%s:%s" .repository (toString .tag) }}
{{- end }}
{{- end }}

{{- define "example-service.image" -}}
{{- include "example-service.imageRef" (dict "repository" .Values.image.repository "digest" .Values.image.digest "tag" (default .Chart.AppVersion .Values.image.tag)) }}
{{- end }}

{{- define "example-service.testImage" -}}
{{- include "example-service.imageRef" .Values.tests.image }}
{{- end }}

{{- define "example-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "example-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret the chart creates for credentials given in values. */}}
{{- define "example-service.secretName" -}}
{{- include "example-service.fullname" . }}
{{- end }}

{{/* The Secret cert-manager writes the API's certificate to. */}}
{{- define "example-service.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "example-service.fullname" .)) .Values.tls.secretName }}
{{- end }}

{{/* True when the chart has to create its own Secret. */}}
{{- define "example-service.createSecret" -}}
{{- if not .Values.database.existingSecret }}true{{- end }}
{{- end }}

{{/* Label a pod carries to be let through the NetworkPolicy when allowExternal is false. */}}
{{/*
Labels of the helm test pods: the release's, but not its selector labels, so the Service, the PDB and the
NetworkPolicy's podSelector never take a test pod for an app pod (the policy's egress rules would cut the test off
from the service). They reach the service as any client does, with the client label.
*/}}
{{- define "example-service.testLabels" -}}
helm.sh/chart: {{ include "example-service.chart" . }}
app.kubernetes.io/name: {{ include "example-service.name" . }}-helm-test
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: example-service
{{ include "example-service.clientLabel" . }}
{{- end }}

{{- define "example-service.clientLabel" -}}
{{ include "example-service.fullname" . }}-client: "true"
{{- end }}

{{/* The test pods' API_KEY from tests.apiKey.existingSecret, at the container's indentation (6 spaces). */}}
{{- define "example-service.testApiKeyEnv" -}}
{{- with .Values.tests.apiKey.existingSecret }}
env:
  - name: API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.tests.apiKey.existingSecretKey }}
{{- end }}
{{- end }}

{{/*
Shared spec of the `helm test` pods: restricted security context, writable /tmp, no API token.
Callers continue the single container with env/args at 6 spaces of indentation.
*/}}
{{- define "example-service.testPodSpec" -}}
restartPolicy: Never
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 100
  runAsGroup: 101
  seccompProfile:
    type: RuntimeDefault
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 16Mi
containers:
  - name: test
    image: {{ include "example-service.testImage" . | quote }}
    imagePullPolicy: {{ .Values.tests.image.pullPolicy }}
    securityContext:
      readOnlyRootFilesystem: true
      allowPrivilegeEscalation: false
      capabilities:
        drop: ["ALL"]
    resources:
      requests:
        cpu: 10m
        memory: 16Mi
      limits:
        memory: 32Mi
    volumeMounts:
      - name: tmp
        mountPath: /tmp
    command: ["/bin/sh", "-c"]
{{- end }}
