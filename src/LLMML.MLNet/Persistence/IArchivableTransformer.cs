using LLMML.Foundation.Persistence;
using Microsoft.ML;

namespace LLMML.MLNet.Persistence;

/// <summary>
/// A fitted LLMML transformer that can write its whole state to a <see cref="ModelArchive"/>. This is what
/// lets it be saved on its own (<see cref="LlmModels.Save"/>) and inside a whole ML.NET pipeline
/// (<c>mlContext.Model.Save</c>, through <see cref="MLNetModelBridge"/>).
/// </summary>
public interface IArchivableTransformer : ITransformer
{
    /// <summary>The complete state (options, tensors, blobs) needed to rebuild this transformer.</summary>
    ModelArchive ToArchive();
}

/// <summary>
/// The loading half of <see cref="IArchivableTransformer"/>: a static factory so ML.NET's model loader (and
/// <see cref="LlmModels.Load{T}(MLContext, string)"/>) can rebuild <typeparamref name="TSelf"/> from an archive.
/// </summary>
/// <typeparam name="TSelf">The implementing transformer type.</typeparam>
public interface IArchivableTransformer<TSelf> : IArchivableTransformer
    where TSelf : class, IArchivableTransformer<TSelf>
{
    /// <summary>The stable <see cref="ModelArchive.ComponentType"/> this transformer writes, e.g. "LLMML.Eigenpruning".</summary>
    static abstract string ComponentType { get; }

    /// <summary>
    /// Rebuilds the transformer from a validated archive. Implementations check the component version with
    /// <see cref="ModelArchive.RequireComponent"/>, read everything they need (throwing
    /// <see cref="InvalidDataException"/> on a missing or misshapen entry) and only then construct the instance.
    /// </summary>
    static abstract TSelf FromArchive(MLContext mlContext, ModelArchive archive);
}
