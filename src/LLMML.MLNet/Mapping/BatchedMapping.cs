using LLMML.Foundation.Progress;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>
/// The one lazy, batched row-to-row mapping every LLMML transformer uses to implement
/// <see cref="ITransformer.Transform"/>: declared input columns are read for up to <see cref="BatchSize"/>
/// consecutive rows, handed to one call of the batch function (e.g. one forward pass of a language model),
/// and the declared output columns it fills are appended to the input's columns.
/// </summary>
/// <remarks>
/// <para>Nothing runs until a cursor moves. A cursor that needs none of the output columns never calls the
/// batch function and serves pass-through columns straight from the input.</para>
/// <para>Input columns keep their indices in the output schema; outputs come after them. An output named
/// like an input column hides it, as ML.NET transforms do.</para>
/// <para>The output schema is built with the public <see cref="DataViewSchema.Builder"/>.</para>
/// <para>The batch function may be called from several cursors at once (one per cursor), so it must be
/// thread-safe or guard its own state; each call gets fresh output arrays.</para>
/// </remarks>
public sealed class BatchedMapping
{
    /// <summary>Defines a mapping.</summary>
    /// <param name="name">Names the mapping in errors and progress, e.g. "LM answer scoring".</param>
    /// <param name="inputs">Columns the batch function reads.</param>
    /// <param name="outputs">Columns the batch function fills.</param>
    /// <param name="map">The batch function.</param>
    /// <param name="batchSize">Rows per call (≥ 1).</param>
    /// <param name="progress">Optional: receives one update per batch (rows done of the input's row count).</param>
    /// <param name="batchScope">
    /// Optional: opened before and disposed after every call of <paramref name="map"/>, even when it throws. The
    /// TorchSharp layer passes <c>() =&gt; torch.NewDisposeScope()</c> so each batch's tensors are freed with the batch
    /// (the function copies its results into the output arrays before returning).
    /// </param>
    public BatchedMapping(
        string name,
        IReadOnlyList<BatchInputColumn> inputs,
        IReadOnlyList<BatchOutputColumn> outputs,
        BatchMapFunction map,
        int batchSize = 32,
        IProgress<ProgressUpdate>? progress = null,
        Func<IDisposable>? batchScope = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (outputs.Count == 0) throw new ArgumentException($"{name}: a mapping needs at least one output column.", nameof(outputs));
        var dup = inputs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1)?.Key
            ?? outputs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (dup is not null) throw new ArgumentException($"{name}: column '{dup}' is declared twice.");
        Name = name;
        Inputs = inputs.ToArray();
        Outputs = outputs.ToArray();
        Map = map;
        BatchSize = batchSize;
        Progress = progress;
        BatchScope = batchScope;
    }

    /// <summary>Name used in errors and progress.</summary>
    public string Name { get; }

    /// <summary>Columns read.</summary>
    public IReadOnlyList<BatchInputColumn> Inputs { get; }

    /// <summary>Columns added.</summary>
    public IReadOnlyList<BatchOutputColumn> Outputs { get; }

    /// <summary>The batch function.</summary>
    public BatchMapFunction Map { get; }

    /// <summary>Rows per call.</summary>
    public int BatchSize { get; }

    /// <summary>Progress sink, or null.</summary>
    public IProgress<ProgressUpdate>? Progress { get; }

    /// <summary>Scope opened around each batch call, or null.</summary>
    public Func<IDisposable>? BatchScope { get; }

    /// <summary>The schema <see cref="Apply"/> produces for <paramref name="inputSchema"/>; validates the input columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ResolveInputs(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var o in Outputs) builder.AddColumn(o.Name, o.Type, o.Annotations);
        return builder.ToSchema();
    }

    /// <summary>A lazy view of <paramref name="input"/> with the output columns added.</summary>
    public IDataView Apply(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchedMappedDataView(this, input);
    }

    /// <summary>A one-row-at-a-time mapper over the same function (batches of one), for prediction engines and transformer chains.</summary>
    public IRowToRowMapper CreateRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new BatchedRowToRowMapper(this, inputSchema);
    }

    internal DataViewSchema.Column[] ResolveInputs(DataViewSchema schema) =>
        Inputs.Select(c => c.Resolve(schema, Name)).ToArray();

    /// <summary>Runs the batch function over captured inputs and checks what it produced.</summary>
    internal Array[] RunBatch(int count, long firstPosition, IReadOnlyList<ColumnBuffer> inputBuffers)
    {
        var views = new Dictionary<string, (Type, Func<object>)>(StringComparer.Ordinal);
        for (int i = 0; i < Inputs.Count; i++)
        {
            var buffer = inputBuffers[i];
            views[Inputs[i].Name] = (Inputs[i].RawType, () => buffer.View(count));
        }
        var outputs = new Array[Outputs.Count];
        var named = new Dictionary<string, Array>(StringComparer.Ordinal);
        for (int i = 0; i < Outputs.Count; i++)
        {
            outputs[i] = Array.CreateInstance(Outputs[i].Type.RawType, count);
            named[Outputs[i].Name] = outputs[i];
        }
        try
        {
            using (BatchScope?.Invoke())
                Map(new RowBatch(count, firstPosition, views), new OutputBatch(count, named));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{Name}: the batch function failed on rows {firstPosition}..{firstPosition + count - 1}: {e.Message}", e);
        }
        for (int i = 0; i < Outputs.Count; i++) OutputValidation.Check(Name, Outputs[i], outputs[i], firstPosition);
        return outputs;
    }
}
