using System.Text;

namespace TypedBuild;

/// <summary>
/// Wraps <see cref="Console.Out"/>/<see cref="Console.Error"/> so that whatever a target prints is masked. Text is held
/// until the end of the line, so a secret written in pieces is still recognized.
/// </summary>
internal sealed class MaskingTextWriter(TextWriter inner, ISecretMasker masker) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public TextWriter Inner { get; } = inner;

    public override Encoding Encoding => Inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _line.Append(value);
            if (value == '\n')
            {
                FlushLine();
            }
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            var start = 0;
            int newline;
            while ((newline = value.IndexOf('\n', start)) >= 0)
            {
                _line.Append(value, start, newline - start + 1);
                FlushLine();
                start = newline + 1;
            }

            _line.Append(value, start, value.Length - start);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Flush()
    {
        lock (_lock)
        {
            if (_line.Length > 0)
            {
                FlushLine();
            }

            Inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        Inner.Write(masker.Mask(_line.ToString()));
        _line.Clear();
    }
}
