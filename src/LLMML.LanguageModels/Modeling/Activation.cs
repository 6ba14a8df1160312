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
        "gelu_new" or "gelu_pytorch_tanh" => GeluTanh(x),
        "gelu" => nn.functional.gelu(x),
        "silu" or "swish" => nn.functional.silu(x),
        "relu" => nn.functional.relu(x),
        _ => throw new NotSupportedException($"Activation '{name}' is not supported; use one of {string.Join(", ", Supported)}."),
    };

    // TorchSharp's gelu has no tanh-approximation switch: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    private static Tensor GeluTanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inner = (x + x.pow(3) * 0.044715) * Math.Sqrt(2.0 / Math.PI);
        return (x * 0.5 * (inner.tanh() + 1.0)).MoveToOuterDisposeScope();
    }
}
