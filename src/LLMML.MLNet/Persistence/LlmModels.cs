using LLMML.Foundation.Persistence;
using Microsoft.ML;

namespace LLMML.MLNet.Persistence;

/// <summary>Saving and loading single LLMML transformers in the <see cref="ModelArchive"/> format.</summary>
public static class LlmModels
{
    /// <summary>Writes <paramref name="transformer"/> atomically to <paramref name="path"/>.</summary>
    public static void Save(IArchivableTransformer transformer, string path)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        transformer.ToArchive().Save(path);
    }

    /// <summary>Loads a <typeparamref name="T"/> from <paramref name="path"/>; a wrong component or corrupt file throws <see cref="InvalidDataException"/>.</summary>
    public static T Load<T>(MLContext mlContext, string path) where T : class, IArchivableTransformer<T> =>
        FromArchive<T>(mlContext, ModelArchive.Load(path));

    /// <summary>Loads a <typeparamref name="T"/> from a stream; errors name <paramref name="sourceName"/>.</summary>
    public static T Load<T>(MLContext mlContext, Stream stream, string sourceName = "model archive") where T : class, IArchivableTransformer<T> =>
        FromArchive<T>(mlContext, ModelArchive.Load(stream, sourceName));

    /// <summary>Rebuilds a <typeparamref name="T"/> from an already loaded archive after checking its component type.</summary>
    public static T FromArchive<T>(MLContext mlContext, ModelArchive archive) where T : class, IArchivableTransformer<T>
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(archive);
        if (archive.ComponentType != T.ComponentType)
            throw new InvalidDataException($"{archive.SourceName}: holds a '{archive.ComponentType}', not a '{T.ComponentType}' ({typeof(T).Name}).");
        MLNetModelBridge.Register(mlContext);
        return T.FromArchive(mlContext, archive);
    }
}
