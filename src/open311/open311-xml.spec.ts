import { escapeXml, toXmlDocument, XML_DECLARATION } from './open311-xml.js';

describe('Open311 XML', () => {
  it('writes a list as <root><item> with the declaration, fields in order, null as empty', () => {
    expect(
      toXmlDocument(
        'service_requests',
        [{ service_request_id: 'ZG-2026-000001', service_notice: '待派遣', account_id: null }],
        'request',
      ),
    ).toBe(
      `${XML_DECLARATION}\n<service_requests>\n  <request>\n` +
        `    <service_request_id>ZG-2026-000001</service_request_id>\n` +
        `    <service_notice>待派遣</service_notice>\n    <account_id/>\n` +
        `  </request>\n</service_requests>\n`,
    );
  });

  it('writes an empty list as an empty root', () => {
    expect(toXmlDocument('services', [], 'service')).toBe(`${XML_DECLARATION}\n<services/>\n`);
  });

  it('names list items in the singular the spec uses, and writes booleans and numbers as text', () => {
    const xml = toXmlDocument('discovery', {
      endpoints: [{ formats: ['text/xml', 'application/json'], metadata: false, lat: 39.94 }],
    });
    expect(xml).toContain(
      '<endpoints>\n    <endpoint>\n      <formats>\n        <format>text/xml</format>',
    );
    expect(xml).toContain('<metadata>false</metadata>');
    expect(xml).toContain('<lat>39.94</lat>');
    expect(toXmlDocument('service_definition', { service_code: 'HJ07', attributes: [] })).toContain(
      '<attributes/>',
    );
  });

  it('escapes markup and drops what XML forbids', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;',
    );
    expect(escapeXml('楼道\u0000堆物\u0007')).toBe('楼道堆物');
    expect(toXmlDocument('errors', [{ code: 400, description: 'a<b' }], 'error')).toContain(
      '<description>a&lt;b</description>',
    );
  });
});
