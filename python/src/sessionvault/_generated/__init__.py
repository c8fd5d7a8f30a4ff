# generated — do not edit. Source: openapi/sessionvault.yaml; regenerate with python/scripts/generate.sh
