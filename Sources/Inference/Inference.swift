// The CoSupNet forward pass, weight loading and the oneDNN backend live in this module.
