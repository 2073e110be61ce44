package cfsim

// modelSpec is one (provider, model) pair the generator can log, with the
// gateway path a client would call and list prices used to derive cost.
// Prices are USD per million tokens (or per unit for image/audio models);
// unpriced models log no cost at all, as the upstream does for models it has
// no price for.
type modelSpec struct {
	provider, model, modelType, path string
	weight                           float64 // relative popularity before per-gateway skew
	inPrice, outPrice                float64 // per 1M tokens
	unitPrice                        float64 // per image / per audio request
	priced                           bool
}

// catalog is deliberately varied: several providers, shared model names
// (gpt-4o via openai and azure-openai), Workers AI "@cf/…" names with
// slashes, paths with query strings and colons, and model types other than
// chat, so that filters, search and ordering meet realistic strings.
var catalog = []modelSpec{
	{"openai", "gpt-4o", "chat", "v1/chat/completions", 10, 2.5, 10, 0, true},
	{"openai", "gpt-4o-mini", "chat", "v1/chat/completions", 14, 0.15, 0.6, 0, true},
	{"openai", "o3-mini", "chat", "v1/chat/completions", 3, 1.1, 4.4, 0, true},
	{"openai", "text-embedding-3-small", "embedding", "v1/embeddings", 6, 0.02, 0, 0, true},
	{"openai", "dall-e-3", "image", "v1/images/generations", 1, 0, 0, 0.04, true},
	{"openai", "whisper-1", "audio", "v1/audio/transcriptions", 1, 0, 0, 0.006, true},
	{"anthropic", "claude-sonnet-4-20250514", "chat", "v1/messages", 9, 3, 15, 0, true},
	{"anthropic", "claude-3-5-haiku-20241022", "chat", "v1/messages", 5, 0.8, 4, 0, true},
	{"anthropic", "claude-opus-4-20250514", "chat", "v1/messages", 1, 15, 75, 0, true},
	{"workers-ai", "@cf/meta/llama-3.1-8b-instruct", "chat", "@cf/meta/llama-3.1-8b-instruct", 7, 0.28, 0.83, 0, true},
	{"workers-ai", "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "chat", "@cf/meta/llama-3.3-70b-instruct-fp8-fast", 2, 0, 0, 0, false},
	{"workers-ai", "@cf/baai/bge-base-en-v1.5", "embedding", "@cf/baai/bge-base-en-v1.5", 4, 0, 0, 0, false},
	{"workers-ai", "@cf/black-forest-labs/flux-1-schnell", "image", "@cf/black-forest-labs/flux-1-schnell", 1, 0, 0, 0, false},
	{"google-ai-studio", "gemini-2.0-flash", "chat", "v1beta/models/gemini-2.0-flash:generateContent", 6, 0.1, 0.4, 0, true},
	{"google-ai-studio", "gemini-2.5-pro", "chat", "v1beta/models/gemini-2.5-pro:generateContent", 2, 1.25, 10, 0, true},
	{"google-ai-studio", "text-embedding-004", "embedding", "v1beta/models/text-embedding-004:embedContent", 1, 0, 0, 0, false},
	{"azure-openai", "gpt-4o", "chat", "contoso-ai/gpt-4o/chat/completions?api-version=2024-10-21", 4, 2.5, 10, 0, true},
	{"groq", "llama-3.3-70b-versatile", "chat", "openai/v1/chat/completions", 3, 0.59, 0.79, 0, true},
	{"groq", "whisper-large-v3", "audio", "openai/v1/audio/transcriptions", 1, 0, 0, 0.0005, true},
	{"mistral", "mistral-large-latest", "chat", "v1/chat/completions", 2, 2, 6, 0, true},
	{"mistral", "mistral-embed", "embedding", "v1/embeddings", 1, 0.1, 0, 0, true},
}

var (
	userAgents = []string{
		"OpenAI/JS 4.77.0", "OpenAI/Python 1.58.1", "anthropic-sdk-python/0.42.0",
		"Anthropic/JS 0.33.1", "curl/8.5.0", "python-requests/2.32.3", "axios/1.7.9",
		"Go-http-client/2.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"ai-sdk/4.0.22",
	}
	teams    = []string{"search", "support", "growth", "platform", "research"}
	envs     = []string{"prod", "staging", "dev"}
	features = []string{"summarize", "autocomplete", "chatbot", "classify", "rag"}
	prompts  = []string{
		"Summarize the attached ticket in two sentences.",
		"Translate to French: the invoice is overdue.",
		"What is the capital of Australia?",
		"Write a haiku about latency.",
		"Classify the sentiment of: 'the update broke my dashboard again'",
		"Explain the difference between a mutex and a semaphore, with an example in Go, covering fairness, starvation, priority inversion and how the runtime parks goroutines waiting on a sync.Mutex versus a buffered channel used as a counting semaphore.",
		"Extract every date, amount and counterparty from the following bank statement and return them as a JSON array of objects with the keys date, amount, currency and counterparty; keep the original order and do not invent values that are not present in the text.",
	}
	answers = []string{
		"Canberra.", "The customer reports a failed payment and asks for a refund.",
		"Packets crawl through wires / a spinner turns and turns / the cache was empty",
		"negative", "La facture est en retard.",
	}
)
