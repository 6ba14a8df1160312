using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>
/// Row-at-a-time face of a <see cref="BatchedMapping"/> (batches of one), which ML.NET needs for
/// <c>PredictionEngine</c> and <c>TransformerChain.GetRowToRowMapper</c>. Bulk scoring should use
/// <see cref="BatchedMapping.Apply"/>, which batches.
/// </summary>
internal sealed class BatchedRowToRowMapper : IRowToRowMapper
{
    private readonly BatchedMapping _mapping;
    private readonly DataViewSchema.Column[] _mappedInputs;

    public BatchedRowToRowMapper(BatchedMapping mapping, DataViewSchema inputSchema)
    {
        _mapping = mapping;
        InputSchema = inputSchema;
        OutputSchema = mapping.GetOutputSchema(inputSchema);
        _mappedInputs = mapping.ResolveInputs(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var result = new List<DataViewSchema.Column>();
        bool anyOutput = false;
        foreach (var c in dependingColumns)
        {
            if (c.Index < InputSchema.Count) result.Add(InputSchema[c.Index]);
            else anyOutput = true;
        }
        if (anyOutput) result.AddRange(_mappedInputs);
        return result.DistinctBy(c => c.Index).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = new bool[OutputSchema.Count];
        foreach (var c in activeColumns) active[c.Index] = true;
        return new MappedRow(this, input, active);
    }

    private sealed class MappedRow : DataViewRow
    {
        private readonly BatchedRowToRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly bool[] _active;
        private ColumnBuffer[]? _buffers;
        private Array[] _outputs = [];
        private long _computedAt = -1;

        public MappedRow(BatchedRowToRowMapper parent, DataViewRow input, bool[] active)
        {
            _parent = parent;
            _input = input;
            _active = active;
        }

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"{_parent._mapping.Name}: column '{column.Name}' is not active in this row.");
            int inputCount = _parent.InputSchema.Count;
            if (column.Index < inputCount) return _input.GetGetter<TValue>(_parent.InputSchema[column.Index]);
            var type = Schema[column.Index].Type;
            if (type.RawType != typeof(TValue))
                throw new InvalidOperationException($"{_parent._mapping.Name}: column '{column.Name}' holds {type.RawType.Name} values, not {typeof(TValue).Name}.");
            int output = column.Index - inputCount;
            return OutputGetters.Create<TValue>(() => Compute()[output], () => 0);
        }

        private Array[] Compute()
        {
            if (_computedAt == _input.Position && _outputs.Length > 0) return _outputs;
            _buffers ??= _parent._mappedInputs.Select(c => ColumnBuffer.Create(_input, c, 1)).ToArray();
            foreach (var b in _buffers) b.Capture(0);
            _outputs = _parent._mapping.RunBatch(1, _input.Position, _buffers);
            _computedAt = _input.Position;
            return _outputs;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
