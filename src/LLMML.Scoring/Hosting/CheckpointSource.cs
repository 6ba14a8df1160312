using LLMML.LanguageModels.Generation;
using Microsoft.ML;

namespace LLMML.Scoring.Hosting;

/// <summary>Where an LLMML estimator's language model comes from: one given to it, or a checkpoint directory loaded at Fit.</summary>
public static class CheckpointSource
{
    /// <summary>Throws unless a model is given or <paramref name="directory"/> names an existing directory.</summary>
    public static void Require(LanguageModel? model, string? directory, string optionsType)
    {
        if (model is not null) return;
        if (string.IsNullOrWhiteSpace(directory))
            throw new ArgumentException($"Give a LanguageModel or set {optionsType}.ModelDirectory.");
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Model directory '{directory}' does not exist (expected a Hugging Face checkpoint: config.json, model.safetensors, tokenizer files).");
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> onto the device <paramref name="mlContext"/> asks for.</summary>
    public static LanguageModel Load(MLContext mlContext, string directory) => LanguageModel.Load(directory, ContextDevice.For(mlContext));
}
