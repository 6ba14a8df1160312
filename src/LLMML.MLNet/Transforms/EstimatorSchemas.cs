using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Transforms;

/// <summary>
/// <see cref="IEstimator{TTransformer}.GetOutputSchema"/> for estimators whose transformer is a
/// <see cref="BatchedMapping"/>: checks the required input columns in a <see cref="SchemaShape"/> and appends
/// the added columns (ML.NET's <c>SchemaShape.Column</c> constructor is internal, hence the bridge).
/// </summary>
public static class EstimatorSchemas
{
    /// <summary>The input shape plus <paramref name="added"/>; throws naming any missing or mistyped input column.</summary>
    public static SchemaShape Extend(SchemaShape inputSchema, IEnumerable<BatchInputColumn> required, IEnumerable<BatchOutputColumn> added, string component)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (var need in required)
        {
            if (!columns.TryGetValue(need.Name, out var have))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{component}: input column '{need.Name}' ({need.Description}) was not found.");
            var raw = have.Kind == SchemaShape.Column.VectorKind.Scalar
                ? have.ItemType.RawType
                : typeof(VBuffer<>).MakeGenericType(have.ItemType.RawType);
            if (raw != need.RawType)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{component}: input column '{need.Name}' must be {need.Description}, but it is {have.Kind} of {have.ItemType}{(have.IsKey ? " (key)" : "")}.");
        }
        var builder = new DataViewSchema.Builder();
        foreach (var o in added) builder.AddColumn(o.Name, o.Type, o.Annotations);
        foreach (var c in MLNetModelBridge.ToSchemaShape(builder.ToSchema())) columns[c.Name] = c;
        return new SchemaShape(columns.Values);
    }
}
