import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { products } from '../db/schema.js';

export interface Product {
  id: string;
  name: string;
  aliases: string[];
}

export async function listProducts(tx: Tx, tenantId: string): Promise<Product[]> {
  const rows = await tx.select().from(products).where(eq(products.tenantId, tenantId)).orderBy(products.sku);
  return rows.map((r) => ({ id: r.sku, name: r.name, aliases: r.aliases }));
}

export async function upsertProducts(tx: Tx, tenantId: string, list: Product[]): Promise<void> {
  for (const p of list) {
    await tx
      .insert(products)
      .values({ tenantId, sku: p.id, name: p.name, aliases: p.aliases })
      .onConflictDoUpdate({ target: [products.tenantId, products.sku], set: { name: p.name, aliases: p.aliases } });
  }
}

export async function deleteProduct(tx: Tx, tenantId: string, sku: string): Promise<void> {
  await tx.delete(products).where(and(eq(products.tenantId, tenantId), eq(products.sku, sku)));
}
