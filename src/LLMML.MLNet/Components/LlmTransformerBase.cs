using LLMML.Foundation.Persistence;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Components;

/// <summary>
/// Base of fitted LLMML transformers: <see cref="ITransformer"/> is implemented once here on top of
/// <see cref="BatchedMapping"/>, and saving (alone or inside an ML.NET pipeline) on top of
/// <see cref="ToArchive"/>. A derived class supplies the mapping for an input schema and its archive, and
/// also implements <see cref="IArchivableTransformer{TSelf}"/> so it can be loaded back.
/// </summary>
public abstract class LlmTransformerBase : IArchivableTransformer
{
    /// <summary>Registers <paramref name="mlContext"/> with the model bridge so pipelines holding this transformer can be loaded in it.</summary>
    protected LlmTransformerBase(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Context = mlContext;
        MLNetModelBridge.Register(mlContext);
    }

    /// <summary>The context this transformer was created in (device settings, catalogs).</summary>
    protected MLContext Context { get; }

    /// <summary>The batched mapping for <paramref name="inputSchema"/>; validates the input columns.</summary>
    protected abstract BatchedMapping CreateMapping(DataViewSchema inputSchema);

    /// <inheritdoc />
    public abstract ModelArchive ToArchive();

    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return CreateMapping(inputSchema).GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return CreateMapping(input.Schema).Apply(input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return CreateMapping(inputSchema).CreateRowToRowMapper(inputSchema);
    }

    /// <summary>Saves this transformer alone, atomically, in the <see cref="ModelArchive"/> format.</summary>
    public void Save(string path) => ToArchive().Save(path);

    void ICanSaveModel.Save(ModelSaveContext ctx) => MLNetModelBridge.Save(ctx, this);
}
