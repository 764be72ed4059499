// Command prbot writes the pull-request comment a review bot posts when a
// connector's apiDefinition.swagger.json changes: the Markdown report,
// capped to fit a GitHub comment, with each rule linked to its
// documentation.
//
//	git show origin/main:connectors/contoso/apiDefinition.swagger.json > /tmp/old.json
//	go run ./examples/prbot /tmp/old.json connectors/contoso/apiDefinition.swagger.json > comment.md
//	gh pr comment "$PR" --edit-last --body-file comment.md || gh pr comment "$PR" --body-file comment.md
//
// It exits 0 whatever the verdict: a comment informs, the CI gate decides.
package main
