// Package integrations holds what CI systems run connectordiff with, and
// no Go API: gate.sh (the pull-request gate the GitHub Action and the Azure
// Pipelines template run), pr-comment.sh (the Action's pull-request
// comment) and azure-pipelines.yml (the steps template). The repository's
// root holds action.yml, .pre-commit-hooks.yaml and the Dockerfile. The
// tests run each of them against real git repositories.
package integrations
