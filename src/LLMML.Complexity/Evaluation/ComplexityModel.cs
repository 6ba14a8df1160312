using LLMML.LanguageModels.Generation;

namespace LLMML.Complexity.Evaluation;

/// <summary>A model to evaluate: a checkpoint directory (loaded, used, disposed per evaluation) or a loaded model (used as is).</summary>
public sealed class ComplexityModel
{
    private ComplexityModel(string name, string? directory, LanguageModel? model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Directory = directory;
        Model = model;
    }

    /// <summary>Name in reports.</summary>
    public string Name { get; }

    /// <summary>Checkpoint directory, or null for a loaded model.</summary>
    public string? Directory { get; }

    /// <summary>The loaded model, or null for a directory.</summary>
    public LanguageModel? Model { get; }

    /// <summary>A checkpoint directory; the name defaults to the directory's own name ("data/models/post" → "post").</summary>
    public static ComplexityModel FromDirectory(string directory, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new(name ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))), directory, null);
    }

    /// <summary>A loaded model (not disposed by the evaluator; it is not modified either — training strategies clone it).</summary>
    public static ComplexityModel From(LanguageModel model, string name) => new(name, null, model ?? throw new ArgumentNullException(nameof(model)));
}
