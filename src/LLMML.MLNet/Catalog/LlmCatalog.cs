using LLMML.MLNet.Persistence;
using LLMML.MLNet.Tasks;
using Microsoft.ML;

namespace LLMML.MLNet.Catalog;

/// <summary>
/// LLMML's catalog on an <see cref="MLContext"/>, reached with <c>mlContext.Llm()</c>. Components add their
/// estimators as extension methods on this type (as ML.NET's separate packages do on their own catalogs).
/// </summary>
public sealed class LlmCatalog
{
    internal LlmCatalog(MLContext mlContext)
    {
        Context = mlContext;
        MLNetModelBridge.Register(mlContext);
        Tasks = new TaskCatalog(mlContext);
    }

    /// <summary>The owning context.</summary>
    public MLContext Context { get; }

    /// <summary>Where components should run, taken from <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/>.</summary>
    public LlmDeviceSelection Device => LlmDeviceSelection.From(Context);

    /// <summary>The benchmark tasks as IDataViews.</summary>
    public TaskCatalog Tasks { get; }

    /// <summary><c>mlContext.Model.Load</c> for pipelines that may hold LLMML transformers (the context is registered already).</summary>
    public ITransformer LoadModel(Stream stream, out DataViewSchema inputSchema) => Context.Model.Load(stream, out inputSchema);

    /// <summary><c>mlContext.Model.Load</c> from a file, for pipelines that may hold LLMML transformers.</summary>
    public ITransformer LoadModel(string path, out DataViewSchema inputSchema) => Context.Model.Load(path, out inputSchema);
}
