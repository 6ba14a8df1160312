using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>The MLP non-linearities named by Hugging Face's <c>activation_function</c> / <c>hidden_act</c>.</summary>
internal static class Activation
{
    public static readonly string[] Supported = ["gelu_new", "gelu_pytorch_tanh", "gelu", "silu", "swish", "relu"];

    public static bool IsSupported(string name) => Supported.Contains(name);

    public static Tensor Apply(string name, Tensor x) => name switch
    {
        // HF "gelu_new" and "gelu_pytorch_tanh" are the same tanh approximation; GPT-2 and Phi were trained with it.
        // libtorch's fused kernel: one pass forward and backward instead of six elementwise ops and their saved tensors.
        "gelu_new" or "gelu_pytorch_tanh" => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh, inplace: false),
        "gelu" => nn.functional.gelu(x),
        "silu" or "swish" => nn.functional.silu(x),
        "relu" => nn.functional.relu(x),
        _ => throw new NotSupportedException($"Activation '{name}' is not supported; use one of {string.Join(", ", Supported)}."),
    };
}
