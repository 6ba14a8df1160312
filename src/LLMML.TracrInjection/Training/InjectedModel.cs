using LLMML.LanguageModels.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Training;

/// <summary>
/// The LM and its adapter A = Linear(d_LM → d_compiled) with bias, shared by all aligned layers, as one module so the
/// shared training loop optimises, checkpoints and resumes both (parameters "lm.*" and "adapter.*").
/// </summary>
public sealed class InjectedModel : nn.Module
{
    public CausalLanguageModel lm;
    // weight [d_c, D], bias [d_c]
    public Linear adapter;

    public InjectedModel(CausalLanguageModel model, int compiledWidth, Device device) : base(nameof(InjectedModel))
    {
        lm = model;
        adapter = nn.Linear(model.Config.HiddenSize, compiledWidth, hasBias: true, device: device);
        RegisterComponents();
    }

    /// <summary>Prefix of the adapter's parameter names.</summary>
    public const string AdapterPrefix = "adapter.";
}
