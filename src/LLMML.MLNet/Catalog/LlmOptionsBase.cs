using System.Text.Json.Serialization;
using LLMML.Foundation.Progress;

namespace LLMML.MLNet.Catalog;

/// <summary>
/// Settings every LLMML estimator shares. Derived options are saved as JSON in the model archive, so
/// members that are not settings (progress sinks) are marked <see cref="JsonIgnoreAttribute"/>.
/// </summary>
public abstract class LlmOptionsBase
{
    /// <summary>Rows per forward pass when transforming.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Receives progress of long work (fitting, scoring); not saved.</summary>
    [JsonIgnore]
    public IProgress<ProgressUpdate>? Progress { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the bad setting; derived classes extend it.</summary>
    public virtual void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
    }
}
