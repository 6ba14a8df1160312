using Microsoft.ML;

namespace LLMML.MLNet.Mapping;

/// <summary>The lazy output of <see cref="BatchedMapping.Apply"/>: input columns by index, then the mapping's outputs.</summary>
internal sealed class BatchedMappedDataView : IDataView
{
    public BatchedMappedDataView(BatchedMapping mapping, IDataView input)
    {
        Mapping = mapping;
        Input = input;
        Schema = mapping.GetOutputSchema(input.Schema);
        MappedInputs = mapping.ResolveInputs(input.Schema);
    }

    public BatchedMapping Mapping { get; }

    public IDataView Input { get; }

    public DataViewSchema.Column[] MappedInputs { get; }

    public DataViewSchema Schema { get; }

    public int InputColumnCount => Input.Schema.Count;

    public bool CanShuffle => Input.CanShuffle;

    public long? GetRowCount() => Input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var c in columnsNeeded)
        {
            if (c.Index < 0 || c.Index >= Schema.Count || Schema[c.Index].Name != c.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"{Mapping.Name}: column '{c.Name}' (index {c.Index}) does not belong to this data view's schema.");
            active[c.Index] = true;
        }
        bool anyOutput = active.Skip(InputColumnCount).Any(a => a);
        var inputColumns = Enumerable.Range(0, InputColumnCount).Where(i => active[i]).Select(i => Input.Schema[i]);
        if (anyOutput) inputColumns = inputColumns.Concat(MappedInputs);
        var cursor = Input.GetRowCursor(inputColumns.DistinctBy(c => c.Index).ToArray(), rand);
        return new BatchedMappingCursor(this, cursor, active, anyOutput);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
