/**
 * The run-time checks of the panels' messages (the webviews and the host trust nothing they
 * receive): the data preview's, and the results panel's residual report, chart export and inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPreviewHostMessage, isPreviewViewMessage } from '../../src/protocol/data-preview';
import { isHostMessage, isViewMessage } from '../../src/protocol/webview-messages';

describe('panel messages', () => {
  it('the preview: host and view messages accepted, malformed ones refused', () => {
    const data = { spec: '/a.nails', title: 'a', parts: [], problems: [] };
    assert.ok(isPreviewHostMessage({ type: 'preview', data }));
    assert.ok(!isPreviewHostMessage({ type: 'preview', data: { parts: 'no' } }));
    assert.ok(!isPreviewHostMessage({ type: 'run', data }));
    assert.ok(isPreviewViewMessage({ type: 'ready' }));
    assert.ok(
      isPreviewViewMessage({
        type: 'drawn',
        drawn: { spec: '/a', charts: [], colors: [], theme: '' },
      }),
    );
    assert.ok(!isPreviewViewMessage({ type: 'drawn', drawn: { spec: '/a', charts: [] } }));
    assert.ok(!isPreviewViewMessage(null));
  });

  it('the results panel: residual reports, chart exports and run inputs', () => {
    assert.ok(isViewMessage({ type: 'residuals', drawn: { runDir: '/r', charts: [] } }));
    assert.ok(isViewMessage({ type: 'export', format: 'svg', name: 'c', data: '<svg/>' }));
    assert.ok(!isViewMessage({ type: 'export', format: 'gif', name: 'c', data: '' }));
    assert.ok(!isViewMessage({ type: 'export', format: 'png', name: 3, data: '' }));
    assert.ok(isHostMessage({ type: 'inputs', inputs: { runDir: '/r', parts: [] } }));
    assert.ok(!isHostMessage({ type: 'inputs', inputs: { runDir: '/r' } }));
  });

  it('the results panel: a zoomed range asked for and answered', () => {
    const request = { runDir: '/r', part: 0, from: 10, to: 2000, pixels: 800 };
    assert.ok(isViewMessage({ type: 'range', id: 1, request }));
    assert.ok(!isViewMessage({ type: 'range', id: 1, request: { ...request, to: 'end' } }));
    assert.ok(!isViewMessage({ type: 'range', id: 1, request: { ...request, pixels: NaN } }));
    assert.ok(!isViewMessage({ type: 'range', request }));
    assert.ok(isHostMessage({ type: 'range', id: 1, rows: { k: [1], y: [[2]], yhat: [[3]] } }));
    assert.ok(isHostMessage({ type: 'range', id: 1 }), 'a failed read: no rows');
    assert.ok(!isHostMessage({ type: 'range', id: 1, rows: { k: [1] } }));
  });
});
