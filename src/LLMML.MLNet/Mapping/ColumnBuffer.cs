using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Mapping;

/// <summary>
/// Holds one column's values for the rows of the current batch. The batched cursor reads ahead a whole
/// batch, so every active input column (pass-through or mapped) must be captured per row; vectors are
/// deep-copied because upstream getters may reuse their buffers.
/// </summary>
internal abstract class ColumnBuffer
{
    public abstract void Capture(int slot);

    /// <summary>A getter serving the captured value of the slot <paramref name="slot"/> returns.</summary>
    public abstract Delegate MakeGetter(Func<int> slot);

    /// <summary>A read-only view of the first <paramref name="count"/> captured values (an IReadOnlyList).</summary>
    public abstract object View(int count);

    public static ColumnBuffer Create(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var type = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorColumnBuffer<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueColumnBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(type, row, column, capacity)!;
    }
}

internal sealed class ValueColumnBuffer<T> : ColumnBuffer
{
    private readonly ValueGetter<T> _getter;
    private readonly T[] _values;

    public ValueColumnBuffer(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        _getter = row.GetGetter<T>(column);
        _values = new T[capacity];
    }

    public override void Capture(int slot) => _getter(ref _values[slot]);

    public override Delegate MakeGetter(Func<int> slot) => (ValueGetter<T>)((ref T dst) => dst = _values[slot()]);

    public override object View(int count) => new ArraySegment<T>(_values, 0, count);
}

internal sealed class VectorColumnBuffer<T> : ColumnBuffer
{
    private readonly ValueGetter<VBuffer<T>> _getter;
    private readonly VBuffer<T>[] _values;
    private VBuffer<T> _scratch;

    public VectorColumnBuffer(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        _getter = row.GetGetter<VBuffer<T>>(column);
        _values = new VBuffer<T>[capacity];
    }

    public override void Capture(int slot)
    {
        _getter(ref _scratch);
        _scratch.CopyTo(ref _values[slot]);
    }

    public override Delegate MakeGetter(Func<int> slot) =>
        (ValueGetter<VBuffer<T>>)((ref VBuffer<T> dst) => _values[slot()].CopyTo(ref dst));

    public override object View(int count) => new ArraySegment<VBuffer<T>>(_values, 0, count);
}
