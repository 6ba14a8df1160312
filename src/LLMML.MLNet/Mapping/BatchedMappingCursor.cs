using LLMML.Foundation.Progress;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>
/// Reads up to one batch of input rows ahead, runs the batch function once per batch, then serves the
/// rows one by one. Every active input column is captured per row because the input cursor has moved on.
/// </summary>
internal sealed class BatchedMappingCursor : DataViewRowCursor
{
    private readonly BatchedMappedDataView _view;
    private readonly DataViewRowCursor _input;
    private readonly bool[] _active;
    private readonly bool _mapping;
    private readonly Dictionary<int, ColumnBuffer> _buffers = new();
    private readonly ColumnBuffer[] _mappedInputs = [];
    private readonly ValueGetter<DataViewRowId>? _inputIds;
    private readonly DataViewRowId[] _ids = [];
    private readonly long? _total;
    private Array[] _outputs = [];
    private int _slot = -1;
    private int _count;
    private long _position = -1;
    private bool _done;

    public BatchedMappingCursor(BatchedMappedDataView view, DataViewRowCursor input, bool[] active, bool mapping)
    {
        _view = view;
        _input = input;
        _active = active;
        _mapping = mapping;
        if (!mapping) return;

        int capacity = view.Mapping.BatchSize;
        for (int i = 0; i < view.InputColumnCount; i++)
            if (active[i]) _buffers[i] = ColumnBuffer.Create(input, input.Schema[i], capacity);
        _mappedInputs = view.MappedInputs
            .Select(c => _buffers.TryGetValue(c.Index, out var b) ? b : _buffers[c.Index] = ColumnBuffer.Create(input, c, capacity))
            .ToArray();
        _inputIds = input.GetIdGetter();
        _ids = new DataViewRowId[capacity];
        _total = view.Mapping.Progress is null ? null : view.GetRowCount();
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index >= 0 && column.Index < _active.Length && _active[column.Index];

    public override ValueGetter<DataViewRowId> GetIdGetter()
    {
        if (!_mapping) return _input.GetIdGetter();
        return (ref DataViewRowId id) => id = _ids[CurrentSlot()];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"{_view.Mapping.Name}: column '{column.Name}' was not requested when the cursor was created.");
        var type = Schema[column.Index].Type;
        if (type.RawType != typeof(TValue))
            throw new InvalidOperationException($"{_view.Mapping.Name}: column '{column.Name}' holds {type.RawType.Name} values, not {typeof(TValue).Name}.");

        if (column.Index < _view.InputColumnCount)
        {
            if (!_mapping) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            return (ValueGetter<TValue>)_buffers[column.Index].MakeGetter(CurrentSlot);
        }
        int output = column.Index - _view.InputColumnCount;
        return OutputGetters.Create<TValue>(() => _outputs[output], CurrentSlot);
    }

    public override bool MoveNext()
    {
        if (_done) return false;
        if (!_mapping)
        {
            if (_input.MoveNext())
            {
                _position++;
                return true;
            }
            _done = true;
            return false;
        }

        if (_slot + 1 < _count)
        {
            _slot++;
            _position++;
            return true;
        }

        _count = 0;
        int capacity = _view.Mapping.BatchSize;
        while (_count < capacity && _input.MoveNext())
        {
            foreach (var buffer in _buffers.Values) buffer.Capture(_count);
            _inputIds!(ref _ids[_count]);
            _count++;
        }
        if (_count == 0)
        {
            _done = true;
            _slot = -1;
            return false;
        }

        _outputs = _view.Mapping.RunBatch(_count, _position + 1, _mappedInputs);
        _slot = 0;
        _position++;
        _view.Mapping.Progress?.Report(new ProgressUpdate(_view.Mapping.Name, _position + _count, _total));
        return true;
    }

    private int CurrentSlot()
    {
        if (_slot < 0 || _done)
            throw new InvalidOperationException($"{_view.Mapping.Name}: the cursor is not on a row (call MoveNext first; it returned false at the end).");
        return _slot;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _done = true;
            _input.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>Getters over output arrays; vectors are copied out so callers may reuse or mutate their buffers.</summary>
internal static class OutputGetters
{
    public static ValueGetter<T> Create<T>(Func<Array> values, Func<int> slot)
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            var method = typeof(OutputGetters).GetMethod(nameof(Vector), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(typeof(T).GetGenericArguments()[0]);
            return (ValueGetter<T>)method.Invoke(null, [values, slot])!;
        }
        return (ref T dst) => dst = ((T[])values())[slot()];
    }

    private static ValueGetter<VBuffer<TItem>> Vector<TItem>(Func<Array> values, Func<int> slot) =>
        (ref VBuffer<TItem> dst) => ((VBuffer<TItem>[])values())[slot()].CopyTo(ref dst);
}
