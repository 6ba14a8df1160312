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

    /// <summary>
    /// <c>mlContext.Model.Load</c> for pipelines that may hold LLMML transformers (the context is registered already).
    /// A corrupt LLMML entry throws <see cref="InvalidDataException"/> naming it; ML.NET's own <c>Model.Load</c> calls
    /// our loader by reflection and so hands the same exception over wrapped in a <see cref="System.Reflection.TargetInvocationException"/>.
    /// </summary>
    public ITransformer LoadModel(Stream stream, out DataViewSchema inputSchema)
    {
        try
        {
            return Context.Model.Load(stream, out inputSchema);
        }
        catch (System.Reflection.TargetInvocationException e) when (Innermost(e) is InvalidDataException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
    }

    /// <summary><c>mlContext.Model.Load</c> from a file, for pipelines that may hold LLMML transformers.</summary>
    public ITransformer LoadModel(string path, out DataViewSchema inputSchema)
    {
        using var stream = File.OpenRead(path);
        return LoadModel(stream, out inputSchema);
    }

    private static Exception Innermost(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        return e;
    }
}
