package model

// AIGatewayAccount is a Cloudflare account. It is only its id: making one
// costs no upstream call; its connections fetch what they are asked for.
type AIGatewayAccount struct {
	AccountID string
}
