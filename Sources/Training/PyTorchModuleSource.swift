import NeuralNetworks

/// The PyTorch code of a model: `class Model(nn.Sequential)` with one line per layer, in the order
/// and under the indices of `show model`, so its `state_dict` names are the ones `save` writes.
/// Layers PyTorch has no module for (the LSTM's outputs alone, the last time step, GPT's pieces)
/// get a short class each, written only when the model uses them.
struct PyTorchModuleSource {
    let model: Sequential

    /// The helper classes the model needs, then the model class.
    var code: String {
        let helpers = Self.helperOrder.filter { usedHelpers.contains($0) }.compactMap { Self.helpers[$0] }
        return (helpers + [modelClass]).joined(separator: "\n\n")
    }

    private var modelClass: String {
        let layers = model.layers.enumerated().map { index, layer in
            "            \(Self.expression(layer.specification)),  # (\(index)) \(PythonText.comment(layer.specification.description))"
        }
        return """
            class Model(nn.Sequential):
                \"\"\"The tensorbook model, layer for layer (\(Self.grouped(model.parameterCount)) parameters).\"\"\"

                def __init__(self):
                    super().__init__(
            \(layers.joined(separator: "\n"))
                    )
            """
    }

    /// The PyTorch constructor of one layer.
    static func expression(_ layer: LayerSpecification) -> String {
        switch layer {
        case .linear(let i, let o, let bias): return "nn.Linear(\(i), \(o)\(bias ? "" : ", bias=False"))"
        case .conv2d(let i, let o, let k, let s, let p):
            return "nn.Conv2d(\(i), \(o), \(k)\(s == 1 ? "" : ", stride=\(s)")\(p == 0 ? "" : ", padding=\(p)"))"
        case .maxPool2d(let size, let stride): return "nn.MaxPool2d(\(size)\(stride == size ? "" : ", stride=\(stride)"))"
        case .flatten: return "nn.Flatten()"
        case .relu: return "nn.ReLU()"
        case .sigmoid: return "nn.Sigmoid()"
        case .tanh: return "nn.Tanh()"
        case .softmax: return "nn.Softmax(dim=-1)"
        case .dropout(let p): return "nn.Dropout(\(PythonText.number(p)))"
        case .embedding(let v, let d): return "nn.Embedding(\(v), \(d))"
        case .lstm(let i, let h): return "LSTMOutputs(\(i), \(h), batch_first=True)"
        case .lastTimeStep: return "LastStep()"
        case .sequential(let layers, _): return "nn.Sequential(\(layers.map(expression).joined(separator: ", ")))"
        case .layerNorm(let d): return "nn.LayerNorm(\(d))"
        case .gelu(let approximate): return approximate == "none" ? "nn.GELU()" : "nn.GELU(approximate=\(PythonText.literal(approximate)))"
        case .positionEmbedding(let c, let e): return "PositionEmbedding(\(c), \(e))"
        case .attention(let e, let h, let causal): return "SelfAttention(\(e), \(h)\(causal ? "" : ", causal=False"))"
        case .transformerBlock(let e, let h, let m): return "Block(\(e), \(h)\(m == 4 ? "" : ", mlp_ratio=\(m)"))"
        case .module(let name): return "\(name)()"  // not reached: export refuses class models before writing
        }
    }

    /// Names of the helper classes the model's layers use.
    private var usedHelpers: Set<String> {
        var used = Set<String>()
        func visit(_ layer: LayerSpecification) {
            switch layer {
            case .lstm: used.insert("LSTMOutputs")
            case .lastTimeStep: used.insert("LastStep")
            case .positionEmbedding: used.insert("PositionEmbedding")
            case .attention: used.insert("SelfAttention")
            case .transformerBlock: used.formUnion(["SelfAttention", "Block"])
            case .sequential(let layers, _): layers.forEach(visit)
            default: break
            }
        }
        model.layers.forEach { visit($0.specification) }
        return used
    }

    private static let helperOrder = ["LSTMOutputs", "LastStep", "PositionEmbedding", "SelfAttention", "Block"]

    private static let helpers: [String: String] = [
        "LSTMOutputs": """
            class LSTMOutputs(nn.LSTM):
                \"\"\"nn.LSTM that returns every step's hidden state [batch, steps, hidden], as tensorbook's lstm does.\"\"\"

                def forward(self, x):
                    return super().forward(x)[0]
            """,
        "LastStep": """
            class LastStep(nn.Module):
                \"\"\"The last time step of a sequence: [batch, steps, features] -> [batch, features].\"\"\"

                def forward(self, x):
                    return x[:, -1]
            """,
        "PositionEmbedding": """
            class PositionEmbedding(nn.Module):
                \"\"\"Adds a learned vector per position (GPT-2's wpe) to [batch, steps, embed].\"\"\"

                def __init__(self, context, embed):
                    super().__init__()
                    self.weight = nn.Parameter(torch.zeros(context, embed))

                def forward(self, x):
                    return x + self.weight[: x.shape[1]]
            """,
        "SelfAttention": """
            class SelfAttention(nn.Module):
                \"\"\"Multi-head self-attention with GPT-2's names: c_attn makes q, k, v; c_proj mixes the heads.\"\"\"

                def __init__(self, embed, heads, causal=True):
                    super().__init__()
                    self.heads, self.causal = heads, causal
                    self.c_attn = nn.Linear(embed, 3 * embed)
                    self.c_proj = nn.Linear(embed, embed)

                def forward(self, x):
                    batch, steps, embed = x.shape
                    q, k, v = self.c_attn(x).split(embed, dim=2)
                    q, k, v = (t.view(batch, steps, self.heads, embed // self.heads).transpose(1, 2) for t in (q, k, v))
                    y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
                    return self.c_proj(y.transpose(1, 2).reshape(batch, steps, embed))
            """,
        "Block": """
            class Block(nn.Module):
                \"\"\"GPT-2's pre-norm Transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)) with tanh-GELU.\"\"\"

                def __init__(self, embed, heads, mlp_ratio=4):
                    super().__init__()
                    self.ln_1 = nn.LayerNorm(embed)
                    self.attn = SelfAttention(embed, heads)
                    self.ln_2 = nn.LayerNorm(embed)
                    self.mlp = nn.ModuleDict(dict(c_fc=nn.Linear(embed, mlp_ratio * embed), c_proj=nn.Linear(mlp_ratio * embed, embed)))

                def forward(self, x):
                    x = x + self.attn(self.ln_1(x))
                    return x + self.mlp.c_proj(F.gelu(self.mlp.c_fc(self.ln_2(x)), approximate="tanh"))
            """,
    ]

    /// 387614 → "387,614".
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        return digits.enumerated().map { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : "\(digit)"
        }.joined()
    }
}
