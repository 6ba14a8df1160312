using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// Puts a module in evaluation or training mode for a scope and gives it back the mode it had when the scope ends,
/// also when the work throws: a component that scores or trains a model it was handed leaves it as it found it.
/// <code>using var mode = ModuleMode.Evaluation(model.Model);</code>
/// </summary>
public readonly struct ModuleMode : IDisposable
{
    private readonly nn.Module _module;
    private readonly bool _wasTraining;

    private ModuleMode(nn.Module module, bool training)
    {
        ArgumentNullException.ThrowIfNull(module);
        _module = module;
        _wasTraining = module.training;
        module.train(training);
    }

    /// <summary>Evaluation mode (no dropout) until disposed.</summary>
    public static ModuleMode Evaluation(nn.Module module) => new(module, training: false);

    /// <summary>Training mode until disposed.</summary>
    public static ModuleMode Training(nn.Module module) => new(module, training: true);

    /// <summary>Restores the mode the module had.</summary>
    public void Dispose() => _module?.train(_wasTraining);
}
