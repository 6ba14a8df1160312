using LLMML.Foundation.Persistence;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Transforms;

/// <summary>
/// Base of every fitted LLMML transformer (language-model components and citation features alike):
/// <see cref="ITransformer"/> is implemented once here on top of <see cref="BatchedMapping"/>, and saving (alone or
/// inside an ML.NET pipeline) on top of <see cref="ToArchive"/>. A derived class supplies the mapping for an input
/// schema and its archive, and also implements <see cref="IArchivableTransformer{TSelf}"/> so it can be loaded back.
/// </summary>
public abstract class BatchedTransformerBase : IArchivableTransformer
{
    /// <summary>
    /// With a context, registers it with the model bridge so pipelines holding this transformer can be loaded in it.
    /// Transformers created from <c>mlContext.Transforms</c> (whose context is not public) pass none; loading a
    /// pipeline holding them then needs the context registered (<c>mlContext.Llm()</c> or <see cref="MLNetModelBridge.Register"/>).
    /// </summary>
    protected BatchedTransformerBase(MLContext? mlContext = null)
    {
        if (mlContext is not null) MLNetModelBridge.Register(mlContext);
    }

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
