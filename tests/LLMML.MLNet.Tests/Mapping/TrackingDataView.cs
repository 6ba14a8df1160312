using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Mapping;

/// <summary>Wraps an IDataView to record which columns cursors asked for and whether they were disposed.</summary>
internal sealed class TrackingDataView(IDataView inner) : IDataView
{
    public List<string[]> RequestedColumns { get; } = [];

    public List<TrackingCursor> Cursors { get; } = [];

    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var cols = columnsNeeded.ToArray();
        RequestedColumns.Add(cols.Select(c => c.Name).ToArray());
        var c = new TrackingCursor(inner.GetRowCursor(cols, rand));
        Cursors.Add(c);
        return c;
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    internal sealed class TrackingCursor(DataViewRowCursor inner) : DataViewRowCursor
    {
        public bool Disposed { get; private set; }

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override DataViewSchema Schema => inner.Schema;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override bool MoveNext() => inner.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Disposed)
            {
                Disposed = true;
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
