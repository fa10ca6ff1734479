import Display
import NeuralNetworks

/// The algorithms `explain` covers.
public enum Topic: String, CaseIterable, Sendable {
    case forward, backward, mse, crossEntropy = "cross_entropy", bce, sgd, adam, linear, conv2d, maxpool, relu, softmax, embedding, lstm
    case attention, layerNorm = "layer_norm", gelu, gpt

    /// One line for the topic list.
    public var summary: String {
        switch self {
        case .forward: "the forward pass: inputs flow through the layers to a prediction"
        case .backward: "backpropagation: the chain rule, from the loss back to every weight"
        case .mse: "mean squared error, the loss for real-valued targets"
        case .crossEntropy: "cross entropy, the loss for choosing one class of many"
        case .bce: "binary cross entropy with logits, the loss for yes/no targets"
        case .sgd: "stochastic gradient descent (with momentum)"
        case .adam: "Adam: gradient descent with per-weight step sizes"
        case .linear: "the fully connected layer y = x·Wᵀ + b"
        case .conv2d: "2-D convolution: small filters slid over an image"
        case .maxpool: "max pooling: keep the largest value of each window"
        case .relu: "the rectifier max(x, 0)"
        case .softmax: "softmax: turning scores into probabilities"
        case .embedding: "embeddings: a learned vector for every word id"
        case .lstm: "the LSTM cell: a recurrent layer with gated memory"
        case .attention: "causal self-attention: each position mixes the values of the positions before it"
        case .layerNorm: "layer normalisation: each position's vector scaled to mean 0 and variance 1"
        case .gelu: "GELU, the Transformer's smooth rectifier x·Φ(x)"
        case .gpt: "the GPT language model: embeddings, transformer blocks, next-token logits"
        }
    }

    /// The formula, in plain Unicode.
    public var formula: [String] {
        switch self {
        case .forward: ["a₀ = x,   aₗ = fₗ(aₗ₋₁)  for l = 1 … L,   ŷ = a_L,   then the loss L(ŷ, y)"]
        case .backward: ["∂L/∂aₗ₋₁ = (∂aₗ/∂aₗ₋₁)ᵀ · ∂L/∂aₗ        ∂L/∂θₗ = (∂aₗ/∂θₗ)ᵀ · ∂L/∂aₗ",
                         "each layer turns the gradient of its output into gradients of its input and its weights"]
        case .mse: ["L = (1/N) Σᵢ (ŷᵢ − yᵢ)²        ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/N"]
        case .crossEntropy: ["L = −(1/N) Σᵢ log pᵢ,tᵢ   with   pᵢ,ⱼ = e^{zᵢ,ⱼ} / Σₖ e^{zᵢ,ₖ}        ∂L/∂zᵢ,ⱼ = (pᵢ,ⱼ − [j = tᵢ]) / N"]
        case .bce: ["L = −(1/N) Σᵢ [yᵢ·log σ(zᵢ) + (1 − yᵢ)·log(1 − σ(zᵢ))]  =  (1/N) Σᵢ max(zᵢ, 0) − zᵢyᵢ + log(1 + e^{−|zᵢ|})",
                    "∂L/∂zᵢ = (σ(zᵢ) − yᵢ) / N"]
        case .sgd: ["vₜ = μ·vₜ₋₁ + gₜ        wₜ = wₜ₋₁ − η·vₜ        (μ = 0: plain wₜ = wₜ₋₁ − η·gₜ)"]
        case .adam: ["mₜ = β₁·mₜ₋₁ + (1 − β₁)·gₜ        vₜ = β₂·vₜ₋₁ + (1 − β₂)·gₜ²",
                     "m̂ₜ = mₜ / (1 − β₁ᵗ)        v̂ₜ = vₜ / (1 − β₂ᵗ)        wₜ = wₜ₋₁ − η·m̂ₜ / (√v̂ₜ + ε)"]
        case .linear: ["y = x·Wᵀ + b        ∂L/∂W = (∂L/∂y)ᵀ·x        ∂L/∂b = Σ ∂L/∂y        ∂L/∂x = ∂L/∂y · W"]
        case .conv2d: ["y[o, i, j] = b[o] + Σ_c Σ_u Σ_v w[o, c, u, v] · x[c, s·i + u − p, s·j + v − p]",
                       "output size = ⌊(H + 2p − k) / s⌋ + 1"]
        case .maxpool: ["y[c, i, j] = max over the k×k window x[c, s·i … s·i+k−1, s·j … s·j+k−1]",
                        "the gradient goes only to the position that held the maximum"]
        case .relu: ["relu(x) = max(x, 0)        relu′(x) = 1 if x > 0, else 0"]
        case .softmax: ["softmax(z)ⱼ = e^{zⱼ − m} / Σₖ e^{zₖ − m}   with m = maxₖ zₖ (subtracting m changes nothing but avoids overflow)"]
        case .embedding: ["y = E[id]   (row id of the table E)        ∂L/∂E[id] += ∂L/∂y for every time id appears"]
        case .lstm: ["iₜ = σ(W_i·xₜ + U_i·hₜ₋₁ + b_i)   fₜ = σ(W_f·xₜ + U_f·hₜ₋₁ + b_f)   gₜ = tanh(W_g·xₜ + U_g·hₜ₋₁ + b_g)",
                     "oₜ = σ(W_o·xₜ + U_o·hₜ₋₁ + b_o)   cₜ = fₜ ⊙ cₜ₋₁ + iₜ ⊙ gₜ   hₜ = oₜ ⊙ tanh(cₜ)"]
        case .attention: ["Q = x·W_Qᵀ   K = x·W_Kᵀ   V = x·W_Vᵀ   (one c_attn layer makes all three, split into h heads of size d)",
                          "A = softmax(Q·Kᵀ/√d + M)        out = A·V        M[i, j] = 0 if j ≤ i, −∞ if j > i (causal)",
                          "the heads' outputs are joined side by side and mixed by c_proj"]
        case .layerNorm: ["μ = (1/n) Σₖ xₖ        σ² = (1/n) Σₖ (xₖ − μ)²        yₖ = γₖ·(xₖ − μ)/√(σ² + ε) + βₖ"]
        case .gelu: ["gelu(x) = x·Φ(x) = 0.5·x·(1 + erf(x/√2))",
                     "tanh form (GPT-2): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))"]
        case .gpt: ["h₀ = E[ids] + P[0 … T−1]",
                    "hₗ = hₗ₋₁ + attn(ln₁(hₗ₋₁)),   hₗ = hₗ + mlp(ln₂(hₗ))   for each of L blocks (pre-norm, residual)",
                    "logits = ln_f(h_L)·W_headᵀ        loss = cross entropy of logits[t] against ids[t + 1], averaged over t",
                    "training cost ≈ 6 · parameters · tokens FLOPs (2 forward + 4 backward per weight per token)"]
        }
    }

    /// What each symbol means, one line each.
    public var symbols: [String] {
        switch self {
        case .forward: ["x: the input batch", "fₗ: layer l (linear, relu, conv2d, …)", "aₗ: layer l's output (its activation)", "ŷ: the prediction"]
        case .backward: ["L: the loss (one number)", "aₗ: layer l's output, θₗ: its weights", "∂L/∂aₗ: how much L changes per unit change of aₗ (same shape as aₗ)"]
        case .mse: ["ŷᵢ: the prediction for example i", "yᵢ: its target", "N: number of predicted values"]
        case .crossEntropy: ["zᵢ,ⱼ: the score (logit) of class j for example i", "tᵢ: its true class", "pᵢ,ⱼ: softmax probability", "N: examples in the batch"]
        case .bce: ["zᵢ: the logit of example i", "yᵢ ∈ {0, 1}: its label", "σ(z) = 1 / (1 + e^{−z}): the sigmoid, the predicted probability of 1"]
        case .sgd: ["gₜ: the gradient at step t", "η: the learning rate (lr)", "μ: momentum", "vₜ: the velocity, a running sum of gradients"]
        case .adam: ["gₜ: this step's gradient", "mₜ: running mean of gradients (β₁ = 0.9)", "vₜ: running mean of squared gradients (β₂ = 0.999)",
                     "m̂ₜ, v̂ₜ: the same, corrected for starting at 0", "η: learning rate (lr, 0.001)", "ε = 10⁻⁸: keeps the division finite"]
        case .linear: ["x: inputs [batch, in]", "W: weights [out, in]", "b: bias [out]", "y: outputs [batch, out]"]
        case .conv2d: ["x: image [channels, H, W]", "w: filters [out, channels, k, k]", "s: stride", "p: padding", "b: one bias per filter"]
        case .maxpool: ["k: window size", "s: stride (= k unless given)"]
        case .relu: ["x: any value; negative values become 0, positive ones pass unchanged"]
        case .softmax: ["z: scores", "the outputs are positive and sum to 1"]
        case .embedding: ["E: the table [vocabulary, dimension], one learned row per word id", "id: a word id"]
        case .lstm: ["xₜ: input at step t", "hₜ: output (hidden state)", "cₜ: memory (cell state)", "i, f, g, o: input, forget, candidate and output gates",
                     "σ: sigmoid, ⊙: elementwise product", "W: input weights, U: recurrent weights (PyTorch: weight_ih, weight_hh)"]
        case .attention: ["x: the sequence [T, embed], one row per position", "Q, K, V: queries, keys, values [heads, T, d], d = embed / heads",
                          "A[i, j]: how much position i attends to position j; each row sums to 1",
                          "M: the causal mask, so that no position sees the future it must predict"]
        case .layerNorm: ["x: one position's vector of n numbers", "μ, σ²: its mean and variance", "γ (weight), β (bias): learned, start at 1 and 0",
                          "ε = 10⁻⁵: keeps the division finite"]
        case .gelu: ["Φ: the standard normal's cumulative distribution", "erf: the error function",
                     "unlike relu it is smooth at 0 and lets small negative values through, a little"]
        case .gpt: ["ids: T character (or token) ids", "E: token embedding [vocab, embed], P: position embedding [context, embed]",
                    "attn, mlp: a block's attention and its 4×-wide GELU MLP", "ln: layer norms; W_head: the head [vocab, embed]"]
        }
    }

    /// The layer kinds whose tensors this topic is about, for pointing at a model's parameters.
    var layerKinds: [String] {
        switch self {
        case .linear: ["linear"]
        case .conv2d: ["conv2d"]
        case .maxpool: ["maxpool"]
        case .relu: ["relu"]
        case .softmax: ["softmax"]
        case .embedding: ["embedding"]
        case .lstm: ["lstm"]
        case .attention: ["attention", "transformer_block"]
        case .layerNorm: ["layer_norm", "transformer_block"]
        case .gelu: ["gelu", "transformer_block"]
        case .gpt: ["embedding", "position_embedding"]
        default: []
        }
    }
}
