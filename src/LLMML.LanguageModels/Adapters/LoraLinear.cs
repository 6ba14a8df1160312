using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Adapters;

/// <summary>
/// A LoRA adapter around a Linear projection: y = base(x) + (alpha / rank) · x·Aᵀ·Bᵀ, with A random (Kaiming-uniform,
/// as PEFT does) and B zero, so the wrapped layer starts out computing exactly what the base did.
/// Merging folds (alpha / rank)·B·A into the base weight (and stops adding the adapter); unmerging subtracts it again.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    // the wrapped projection: weight [out, in], bias [out]
    public Linear base_layer;
    // [rank, in]
    public Parameter lora_A;
    // [out, rank]
    public Parameter lora_B;

    public int Rank { get; }
    public double Alpha { get; }
    public double Scaling => Alpha / Rank;
    public bool Merged { get; private set; }

    public LoraLinear(Linear baseLayer, int rank, double alpha) : base(nameof(LoraLinear))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        base_layer = baseLayer;
        Rank = rank;
        Alpha = alpha;
        var weight = baseLayer.weight ?? throw new ArgumentException("The Linear has no weight.", nameof(baseLayer));
        long outFeatures = weight.shape[0], inFeatures = weight.shape[1];
        var device = weight.device;
        lora_A = new Parameter(empty(rank, inFeatures, device: device));
        lora_B = new Parameter(zeros(outFeatures, rank, device: device));
        using (no_grad()) nn.init.kaiming_uniform_(lora_A, a: Math.Sqrt(5));
        RegisterComponents();
    }

    /// <param name="x">[..., in]</param>
    /// <returns>[..., out]</returns>
    public override Tensor forward(Tensor x)
    {
        if (Merged) return base_layer.call(x);
        using var scope = NewDisposeScope();
        var update = nn.functional.linear(nn.functional.linear(x, lora_A), lora_B) * Scaling;
        return (base_layer.call(x) + update).MoveToOuterDisposeScope();
    }

    /// <summary>Adds (alpha / rank)·B·A to the base weight. No-op when already merged.</summary>
    public void Merge()
    {
        if (Merged) return;
        using var noGrad = no_grad();
        using var delta = Delta();
        base_layer.weight!.add_(delta);
        Merged = true;
    }

    /// <summary>Subtracts the merged update again. No-op when not merged.</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using var noGrad = no_grad();
        using var delta = Delta();
        base_layer.weight!.sub_(delta);
        Merged = false;
    }

    /// <summary>(alpha / rank)·B·A: [out, in]</summary>
    private Tensor Delta()
    {
        using var scope = NewDisposeScope();
        return (lora_B.matmul(lora_A) * Scaling).to_type(base_layer.weight!.dtype).MoveToOuterDisposeScope();
    }
}
