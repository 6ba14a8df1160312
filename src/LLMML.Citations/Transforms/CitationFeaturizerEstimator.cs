using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Mapping;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Citations.Transforms;

/// <summary>
/// Fit builds the citation graph (citing → cited) from the training rows (each a paper with its references, and
/// optionally its year and field) and computes the selected features; the transformer appends them as a float vector.
/// Create it with <c>mlContext.Transforms.FeaturizeCitations(...)</c>.
/// </summary>
public sealed class CitationFeaturizerEstimator : IEstimator<CitationFeaturizerTransformer>
{
    private readonly CitationFeaturizerOptions _options;

    /// <summary>An estimator with <paramref name="options"/>.</summary>
    public CitationFeaturizerEstimator(CitationFeaturizerOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <inheritdoc />
    public CitationFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schema = input.Schema;
        var idCol = Require(schema, _options.PaperIdColumnName, "text (paper ids)", t => t is TextDataViewType);
        var refCol = Require(schema, _options.ReferencesColumnName, "text or a vector of text (cited paper ids)",
            t => t is TextDataViewType || t is VectorDataViewType { ItemType: TextDataViewType });
        var yearCol = _options.YearColumnName is { } y ? Require(schema, y, "a number (year)", t => t is NumberDataViewType) : (DataViewSchema.Column?)null;
        var fieldCol = _options.FieldColumnName is { } fc ? Require(schema, fc, "text (field)", t => t is TextDataViewType) : (DataViewSchema.Column?)null;

        var builder = new CitationGraphBuilder();
        var rowPapers = new List<int>();
        var columns = new List<DataViewSchema.Column> { idCol, refCol };
        if (yearCol is { } yc) columns.Add(yc);
        if (fieldCol is { } fcol) columns.Add(fcol);
        using (var cursor = input.GetRowCursor(columns))
        {
            var id = cursor.GetGetter<ReadOnlyMemory<char>>(idCol);
            ValueGetter<ReadOnlyMemory<char>>? refText = refCol.Type is TextDataViewType ? cursor.GetGetter<ReadOnlyMemory<char>>(refCol) : null;
            ValueGetter<VBuffer<ReadOnlyMemory<char>>>? refVector = refText is null ? cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(refCol) : null;
            var year = yearCol is { } ycol ? YearGetter(cursor, ycol) : null;
            ValueGetter<ReadOnlyMemory<char>>? field = fieldCol is { } fcc ? cursor.GetGetter<ReadOnlyMemory<char>>(fcc) : null;
            ReadOnlyMemory<char> text = default, fieldText = default;
            VBuffer<ReadOnlyMemory<char>> vector = default;
            long row = 0;
            while (cursor.MoveNext())
            {
                row++;
                id(ref text);
                var paperId = text.ToString().Trim();
                if (paperId.Length == 0) throw new InvalidDataException($"CitationFeaturizer: row {row} has an empty '{_options.PaperIdColumnName}'.");
                int p = builder.Paper(paperId);
                rowPapers.Add(p);
                if (year is not null) builder.SetYear(p, year());
                if (field is not null)
                {
                    field(ref fieldText);
                    builder.SetField(p, fieldText.ToString().Trim());
                }
                IEnumerable<string> refs;
                if (refText is not null) { refText(ref text); refs = ReferenceIds.From(text); }
                else { refVector!(ref vector); refs = ReferenceIds.From(vector); }
                foreach (var r in refs) builder.AddCitation(paperId, r);
            }
        }
        var graph = builder.Build();
        var fitted = new bool[graph.NodeCount];
        foreach (var p in rowPapers) fitted[p] = true;
        var features = CitationFeatureComputer.Compute(graph, _options.ToFeatureOptions(), _options.Progress);
        return new CitationFeaturizerTransformer(_options, features, fitted);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        bool vectorRefs = inputSchema.Any(c => c.Name == _options.ReferencesColumnName && c.Kind != SchemaShape.Column.VectorKind.Scalar);
        var required = new List<BatchInputColumn>
        {
            BatchInputColumn.Text(_options.PaperIdColumnName),
            vectorRefs
                ? BatchInputColumn.Create<VBuffer<ReadOnlyMemory<char>>>(_options.ReferencesColumnName, description: "a vector of text (cited paper ids)")
                : BatchInputColumn.Text(_options.ReferencesColumnName),
        };
        // The vector's length depends on the fields seen in Fit; a schema shape only records "vector of Single".
        return EstimatorSchemas.Extend(inputSchema, required, [BatchOutputColumn.FloatVector(_options.OutputColumnName, 1)], "CitationFeaturizer");
    }

    private static DataViewSchema.Column Require(DataViewSchema schema, string name, string what, Func<DataViewType, bool> ok)
    {
        var c = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"CitationFeaturizer: input column '{name}' ({what}) was not found; the input has: {string.Join(", ", schema.Where(x => !x.IsHidden).Select(x => x.Name))}.");
        if (!ok(c.Type)) throw new ArgumentOutOfRangeException(nameof(schema), $"CitationFeaturizer: input column '{name}' must be {what}, but it is {c.Type}.");
        return c;
    }

    private static Func<int?>? YearGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var t = column.Type.RawType;
        if (t == typeof(float)) { var g = cursor.GetGetter<float>(column); return () => { float v = 0; g(ref v); return float.IsNaN(v) ? null : (int)v; }; }
        if (t == typeof(double)) { var g = cursor.GetGetter<double>(column); return () => { double v = 0; g(ref v); return double.IsNaN(v) ? null : (int)v; }; }
        if (t == typeof(int)) { var g = cursor.GetGetter<int>(column); return () => { int v = 0; g(ref v); return v; }; }
        if (t == typeof(long)) { var g = cursor.GetGetter<long>(column); return () => { long v = 0; g(ref v); return (int)v; }; }
        if (t == typeof(short)) { var g = cursor.GetGetter<short>(column); return () => { short v = 0; g(ref v); return v; }; }
        if (t == typeof(uint)) { var g = cursor.GetGetter<uint>(column); return () => { uint v = 0; g(ref v); return (int)v; }; }
        throw new ArgumentOutOfRangeException(nameof(column), $"CitationFeaturizer: year column '{column.Name}' has unsupported type {column.Type}.");
    }
}
