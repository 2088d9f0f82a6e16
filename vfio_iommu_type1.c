// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO Type1 IOMMU backend (VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU).
 *
 * Owns, per container: the IOMMU domains its groups are attached to, the
 * user's DMA mappings (pinned user memory mapped at a user-chosen IOVA in
 * every domain), the locked-memory accounting of those pins, and the list
 * of IOVA ranges a mapping may use (the domains' apertures less the
 * groups' reserved regions).  Optimised for large, mostly static mappings:
 * pages are pinned in batches and mapped as physically contiguous runs,
 * and the IOMMU page tables, not a per-page structure, remember which
 * pages a mapping pinned.
 *
 * Ranges: a range of addresses is its first address and its last one, and
 * last is inclusive, here and in every "[start, last]" below.  A range that
 * ends at the top of the address space then has a last address (U64_MAX),
 * and "start + size", which wraps to 0 there, is never computed.  A user
 * gives a range as a start and a size (MAP_DMA's iova and vaddr, UNMAP_DMA,
 * the dirty bitmap's); vfio_range_last() turns each into its last address,
 * refusing an empty range (-EINVAL) and one that wraps past 2^64
 * (-EOVERFLOW), before any other check of the range (alignment, mappings).
 */

#include <linux/capability.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>
#include <linux/rbtree.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

static bool allow_unsafe_interrupts;
module_param(allow_unsafe_interrupts, bool, 0644);
MODULE_PARM_DESC(allow_unsafe_interrupts,
		 "Allow groups whose IOMMU cannot remap interrupts (unsafe: a device may then forge MSIs)");

static unsigned int dma_entry_limit __read_mostly = U16_MAX;
module_param(dma_entry_limit, uint, 0644);
MODULE_PARM_DESC(dma_entry_limit,
		 "Maximum number of user DMA mappings per container (65535)");

static bool disable_hugepages;
module_param(disable_hugepages, bool, 0644);
MODULE_PARM_DESC(disable_hugepages,
		 "Disable VFIO IOMMU support for IOMMU hugepages.");

/*
 * Objects, lifetimes and locking
 *
 * struct vfio_iommu is one container's state, created by open() and freed
 * by release().  Its mutex @lock protects everything below it, including
 * every vfio_domain, vfio_iommu_group, vfio_iova and vfio_dma of the
 * container: ioctls may run concurrently, and the core serialises only
 * open/release/attach_group/detach_group.  Under @lock we take the
 * mmap_lock of a mapping's mm (to pin and to account), never the reverse.
 *
 * A vfio_domain wraps one iommu_domain and lists the groups attached to
 * it; it is freed when its last group is detached.
 *
 * A vfio_dma is one MAP_DMA, kept in @dma_list by IOVA.  It holds a
 * reference on the mapping task's group leader (whose RLIMIT_MEMLOCK
 * applies) and an mmgrab() reference on its mm, so that its pages can be
 * pinned (on replay), unpinned and unaccounted from any context, even
 * after the task exited.
 *
 * Invariant: while @domain_list is non-empty, every vfio_dma is pinned
 * and mapped, with the same translation, in every domain on it; while it
 * is empty, nothing is pinned, mapped or accounted.  Only pages that are
 * neither reserved nor the zero page hold a pin, and exactly those are
 * accounted in the mm's locked_vm; @locked_vm of a vfio_dma counts them.
 * The first domain on the list serves to look a mapping's pages up when
 * it is unmapped or replayed into a new domain, unless the mapping was
 * pinned as one physically contiguous run: vfio_pin_map_dma() then sets
 * its @contig and @pfn (under @lock, like the rest of it), and its unmap
 * needs no lookup; they are cleared when its pages are unpinned.
 */
struct vfio_iommu {
	struct mutex		lock;		/* see above */
	struct list_head	domain_list;	/* struct vfio_domain */
	struct list_head	iova_list;	/* struct vfio_iova, sorted */
	struct rb_root		dma_list;	/* struct vfio_dma, by iova */
	unsigned int		dma_avail;	/* mappings left to the user */
	unsigned int		vaddr_invalid_count;
	u64			pgsize_bitmap;
	bool			v2;
	bool			dirty_tracking;
};

struct vfio_domain {
	struct iommu_domain	*domain;
	struct list_head	next;		/* on vfio_iommu.domain_list */
	struct list_head	group_list;	/* struct vfio_iommu_group */
	int			prot;		/* IOMMU_CACHE or 0 */
	bool			enforce_cache_coherency;
};

struct vfio_iommu_group {
	struct iommu_group	*iommu_group;
	struct list_head	next;		/* on vfio_domain.group_list */
};

/* A range of IOVAs that mappings may use. */
struct vfio_iova {
	struct list_head	list;
	dma_addr_t		start;
	dma_addr_t		last;
};

struct vfio_dma {
	struct rb_node		node;		/* in vfio_iommu.dma_list */
	dma_addr_t		iova;
	unsigned long		vaddr;
	size_t			size;
	int			prot;		/* IOMMU_READ | IOMMU_WRITE */
	bool			lock_cap;	/* CAP_IPC_LOCK at map time */
	bool			vaddr_invalid;	/* VFIO_DMA_UNMAP_FLAG_VADDR */
	struct task_struct	*task;		/* group leader, referenced */
	struct mm_struct	*mm;		/* mmgrab()ed */
	long			locked_vm;	/* pages pinned and accounted */
	bool			contig;		/* pinned as one run, from: */
	unsigned long		pfn;		/* the run's first pfn */
};

/* Dirty page logging: one bit per page, at most INT_MAX of them. */
#define VFIO_DIRTY_BITMAP_BYTES(n)	(ALIGN(n, BITS_PER_LONG_LONG) / BITS_PER_BYTE)
#define VFIO_DIRTY_BITMAP_SIZE_MAX	VFIO_DIRTY_BITMAP_BYTES((u64)INT_MAX)

/*
 * The last address of the user's range of @size bytes from @start on: 0, or
 * -EINVAL for an empty range, -EOVERFLOW for one that wraps past 2^64.
 */
static int vfio_range_last(u64 start, u64 size, u64 *last)
{
	if (!size)
		return -EINVAL;
	if (check_add_overflow(start, size - 1, last))
		return -EOVERFLOW;
	return 0;
}

static inline dma_addr_t vfio_dma_last(struct vfio_dma *dma)
{
	return dma->iova + dma->size - 1;
}

static size_t vfio_pgsize(struct vfio_iommu *iommu)
{
	return (size_t)1 << __ffs(iommu->pgsize_bitmap);
}

/*
 * The DMA mapping tree
 */

/* Returns a mapping that overlaps [@start, @last], or NULL. */
static struct vfio_dma *vfio_find_dma(struct vfio_iommu *iommu,
				      dma_addr_t start, dma_addr_t last)
{
	struct rb_node *node = iommu->dma_list.rb_node;

	while (node) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);

		if (last < dma->iova)
			node = node->rb_left;
		else if (start > vfio_dma_last(dma))
			node = node->rb_right;
		else
			return dma;
	}
	return NULL;
}

/* Returns the lowest mapping that overlaps [@start, @last], or NULL. */
static struct rb_node *vfio_first_dma_node(struct vfio_iommu *iommu,
					   dma_addr_t start, dma_addr_t last)
{
	struct rb_node *node = iommu->dma_list.rb_node, *res = NULL;

	while (node) {
		struct vfio_dma *dma = rb_entry(node, struct vfio_dma, node);

		if (start > vfio_dma_last(dma)) {
			node = node->rb_right;
		} else {
			res = node;
			node = node->rb_left;
		}
	}
	if (res && rb_entry(res, struct vfio_dma, node)->iova > last)
		return NULL;
	return res;
}

static void vfio_link_dma(struct vfio_iommu *iommu, struct vfio_dma *new)
{
	struct rb_node **link = &iommu->dma_list.rb_node, *parent = NULL;

	while (*link) {
		struct vfio_dma *dma = rb_entry(*link, struct vfio_dma, node);

		parent = *link;
		if (new->iova < dma->iova)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&new->node, parent, link);
	rb_insert_color(&new->node, &iommu->dma_list);
}

/*
 * Locked memory accounting
 */

/*
 * Charges (@npage > 0) or refunds (@npage < 0) pages to the locked_vm of
 * the mapping's mm.  A refund to an mm that is already gone is dropped
 * along with the mm; a refund cannot fail.
 */
static int vfio_lock_acct(struct vfio_dma *dma, long npage)
{
	struct mm_struct *mm = dma->mm;
	int ret = 0;

	if (!npage)
		return 0;

	if (npage < 0)
		dma->locked_vm += npage;

	if (!mmget_not_zero(mm))
		return npage > 0 ? -ESRCH : 0;

	if (npage > 0) {
		ret = mmap_write_lock_killable(mm);
		if (ret)
			goto out_put;
	} else {
		mmap_write_lock(mm);
	}
	ret = __account_locked_vm(mm, abs(npage), npage > 0, dma->task,
				  dma->lock_cap);
	mmap_write_unlock(mm);

	if (!ret && npage > 0)
		dma->locked_vm += npage;
	else if (ret == -ENOMEM)
		pr_warn_ratelimited("%s: RLIMIT_MEMLOCK (%lu) exceeded\n",
				    __func__,
				    task_rlimit(dma->task, RLIMIT_MEMLOCK));
out_put:
	mmput(mm);
	return ret;
}

/*
 * Pinning
 */

/*
 * A pfn without a struct page (MMIO), a reserved page or the zero page is
 * mapped without holding a pin and is not accounted.
 */
static bool vfio_pfn_is_reserved(unsigned long pfn)
{
	if (is_zero_pfn(pfn) || !pfn_valid(pfn))
		return true;
	return PageReserved(pfn_to_page(pfn));
}

/*
 * Returns how many of the @npage physically contiguous pages from @pfn
 * on are, like the first, pinned (*@pinned) or not.  PG_reserved cannot
 * be set on a compound page (PF_NO_COMPOUND) and the zero page is not
 * one: once its first page holds a pin, so do the rest of a compound
 * page's, which are taken at once, without a look at each.
 */
static unsigned long vfio_pfn_span(unsigned long pfn, unsigned long npage,
				   bool *pinned)
{
	struct folio *folio;
	struct page *page;

	*pinned = !vfio_pfn_is_reserved(pfn);
	if (!*pinned)
		return 1;
	page = pfn_to_page(pfn);
	if (!PageCompound(page))
		return 1;
	folio = page_folio(page);
	return min_t(unsigned long, npage,
		     folio_nr_pages(folio) - folio_page_idx(folio, page));
}

/*
 * Unpins the pinned pages among @npage physically contiguous ones from
 * @pfn on and returns how many there were.
 */
static long vfio_unpin_pfns(unsigned long pfn, unsigned long npage,
			    bool dirty)
{
	unsigned long i, n, run = 0;
	long unpinned = 0;
	bool pinned = false;

	for (i = 0; i <= npage; i += n) {
		n = i < npage ? vfio_pfn_span(pfn + i, npage - i, &pinned) : 1;
		if (i < npage && pinned) {
			run += n;
			continue;
		}
		if (run) {
			unpin_user_page_range_dirty_lock(pfn_to_page(pfn + i - run),
							 run, dirty);
			unpinned += run;
			run = 0;
		}
	}
	return unpinned;
}

/*
 * Pages pinned ahead of mapping them.  A small mapping's struct page
 * pointers fit on the stack; a bigger one fills a page of them per pin
 * call, or the stack's few if there is no page.  A VM_PFNMAP vma yields
 * one pfn per call, without a page.
 */
#define VFIO_BATCH_SMALL	16

struct vfio_batch {
	struct page		**pages;
	unsigned long		pfn;		/* the entry, if @pfnmap */
	unsigned int		capacity;
	unsigned int		size;		/* entries left */
	unsigned int		offset;		/* of the next entry */
	bool			pfnmap;
	bool			single;		/* disable_hugepages */
	struct page		*small[VFIO_BATCH_SMALL];
};

/* Readies @batch to pin @npage pages. */
static void vfio_batch_init(struct vfio_batch *batch, unsigned long npage)
{
	batch->size = 0;
	batch->offset = 0;
	batch->pfnmap = false;
	batch->pages = batch->small;
	batch->capacity = ARRAY_SIZE(batch->small);
	/* disable_hugepages: each page mapped on its own (vfio_batch_take) */
	batch->single = READ_ONCE(disable_hugepages);
	if (npage <= ARRAY_SIZE(batch->small))
		return;

	batch->pages = vfio_fail_ptr((struct page **)
				     __get_free_page(GFP_KERNEL | __GFP_NOWARN));
	if (batch->pages)
		batch->capacity = PAGE_SIZE / sizeof(struct page *);
	else
		batch->pages = batch->small;
}

static void vfio_batch_fini(struct vfio_batch *batch)
{
	if (batch->pages != batch->small)
		free_page((unsigned long)batch->pages);
}

static unsigned long vfio_batch_pfn(struct vfio_batch *batch)
{
	if (batch->pfnmap)
		return batch->pfn;
	return page_to_pfn(batch->pages[batch->offset]);
}

static void vfio_batch_consume(struct vfio_batch *batch)
{
	batch->offset++;
	batch->size--;
}

/*
 * Takes from @batch the entries that extend the run of @run pages from
 * @run_pfn on (a new run if @run is 0): as many as follow it physically,
 * at once.  Returns how many, 0 if the next entry starts a new run.  The
 * one place that decides how far a run of pages, mapped with a single
 * iommu_map(), may grow: one page with disable_hugepages, as in 6.1.
 */
static unsigned int vfio_batch_take(struct vfio_batch *batch,
				    unsigned long run_pfn, unsigned long run)
{
	struct page **pages = batch->pages + batch->offset;
	unsigned long pfn = run_pfn + run;
	unsigned int n;

	if (run && (batch->single || vfio_batch_pfn(batch) != pfn))
		return 0;
	if (batch->pfnmap || batch->single) {
		vfio_batch_consume(batch);
		return 1;
	}
	pfn = page_to_pfn(pages[0]);
	for (n = 1; n < batch->size; n++)
		if (page_to_pfn(pages[n]) != pfn + n)
			break;
	batch->offset += n;
	batch->size -= n;
	return n;
}

/* Unpins the entries left in @batch; returns how many held a pin. */
static long vfio_batch_unpin(struct vfio_batch *batch)
{
	long unpinned = 0;

	for (; batch->size; vfio_batch_consume(batch)) {
		struct page *page;

		if (batch->pfnmap)
			continue;
		page = batch->pages[batch->offset];
		if (!vfio_pfn_is_reserved(page_to_pfn(page))) {
			unpin_user_page(page);
			unpinned++;
		}
	}
	return unpinned;
}

/*
 * Returns how many of the @max pages from @pages[0] on are, like the
 * first, pinned (*@pinned) or not, as vfio_pfn_span() tells, as far as
 * they follow each other physically.
 */
static unsigned long vfio_pages_span(struct page **pages, unsigned long max,
				     bool *pinned)
{
	unsigned long k, n;

	n = vfio_pfn_span(page_to_pfn(pages[0]), max, pinned);
	for (k = 1; k < n; k++)
		if (pages[k] != nth_page(pages[0], k))
			break;
	return k;
}

/* Reads the pte that maps @vaddr, if there is one. */
static int vfio_read_pte(struct mm_struct *mm, unsigned long vaddr,
			 unsigned long *pfn, bool *writable)
{
	spinlock_t *ptl;	/* the page table's, taken by follow_pte() */
	pte_t *ptep;
	int ret;

	ret = follow_pte(mm, vaddr, &ptep, &ptl);
	if (ret)
		return ret;
	__acquire(ptl);

	*pfn = pte_pfn(*ptep);
	*writable = pte_write(*ptep);
	pte_unmap_unlock(ptep, ptl);
	return 0;
}

/*
 * Looks up the pfn that a VM_PFNMAP vma (e.g. a device BAR mmap'd by a
 * VFIO bus driver) maps at @vaddr, faulting it in if needed.  Only pfns
 * without a normal page are accepted: they are mapped without a pin.
 */
static int vfio_follow_pfnmap(struct mm_struct *mm, unsigned long vaddr,
			      bool write, unsigned long *pfn)
{
	struct vm_area_struct *vma;
	bool writable;
	int ret;

	lockdep_assert_held(&mm->mmap_lock);
retry:
	vma = vma_lookup(mm, vaddr);
	if (!vma || !(vma->vm_flags & VM_PFNMAP))
		return -EFAULT;

	ret = vfio_read_pte(mm, vaddr, pfn, &writable);
	if (ret) {
		bool unlocked = false;

		ret = fixup_user_fault(mm, vaddr,
				       FAULT_FLAG_REMOTE |
				       (write ? FAULT_FLAG_WRITE : 0),
				       &unlocked);
		if (unlocked)
			goto retry;	/* mmap_lock was dropped: vma may be gone */
		if (ret)
			return ret;
		ret = vfio_read_pte(mm, vaddr, pfn, &writable);
		if (ret)
			return ret;
	}

	if ((write && !writable) || !vfio_pfn_is_reserved(*pfn))
		return -EFAULT;
	return 0;
}

/*
 * Pins at most @npage pages of the mapping's mm from @vaddr on into
 * @batch, or finds the one pfn a VM_PFNMAP vma maps there.  In the
 * mapping process itself (MAP_DMA), pin_user_pages_fast() pins without
 * mmap_lock when it can, and a compound page at once; another process
 * (e.g. a group replayed into a new domain) pins through the remote path.
 * Returns how many entries it filled, or -errno.
 */
static long vfio_batch_pin(struct vfio_dma *dma, struct vfio_batch *batch,
			   unsigned long vaddr, unsigned long npage)
{
	struct mm_struct *mm = dma->mm;
	bool write = dma->prot & IOMMU_WRITE;
	unsigned int gup_flags = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	struct vm_area_struct *vma;
	long ret;

	if (mm == current->mm) {
		ret = vfio_fail_int(pin_user_pages_fast(vaddr, npage, gup_flags,
							batch->pages));
		if (ret > 0)
			return ret;
		mmap_read_lock(mm);
	} else {
		mmap_read_lock(mm);
		ret = vfio_fail_int(pin_user_pages_remote(mm, vaddr, npage,
							  gup_flags,
							  batch->pages, NULL,
							  NULL));
		if (ret > 0)
			goto out;
	}

	vaddr = untagged_addr(vaddr);
	vma = vma_lookup(mm, vaddr);
	if (vma && (vma->vm_flags & VM_PFNMAP)) {
		ret = vfio_follow_pfnmap(mm, vaddr, write, &batch->pfn);
		if (!ret) {
			batch->pfnmap = true;
			ret = 1;
		}
	} else if (!ret) {
		ret = -EFAULT;
	}
out:
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Refills the empty @batch from @vaddr on, at most @npage pages of the
 * mapping's mm, and charges the pins to its locked_vm.  Reserved pages
 * and the zero page are unpinned at once (they never leave memory).
 */
static int vfio_batch_refill(struct vfio_dma *dma, struct vfio_batch *batch,
			     unsigned long vaddr, unsigned long npage)
{
	long ret, i, n, pinned = 0;
	bool held;

	batch->offset = 0;
	batch->pfnmap = false;
	npage = min_t(unsigned long, npage, batch->capacity);

	ret = vfio_batch_pin(dma, batch, vaddr, npage);
	if (ret < 0)
		return ret;
	batch->size = ret;
	if (batch->pfnmap)
		return 0;

	for (i = 0; i < batch->size; i += n) {
		n = vfio_pages_span(batch->pages + i, batch->size - i, &held);
		if (held)
			pinned += n;
		else
			unpin_user_page(batch->pages[i]);
	}

	ret = vfio_lock_acct(dma, pinned);
	if (ret)
		vfio_batch_unpin(batch);
	return ret;
}

/*
 * IOMMU mapping
 */

/* Maps @npage pages from @pfn on at @iova in every domain, or none. */
static int vfio_iommu_map(struct vfio_iommu *iommu, dma_addr_t iova,
			  unsigned long pfn, unsigned long npage, int prot)
{
	size_t size = npage << PAGE_SHIFT;
	struct vfio_domain *d;
	int ret;

	list_for_each_entry(d, &iommu->domain_list, next) {
		ret = vfio_fail_int(iommu_map(d->domain, iova, PFN_PHYS(pfn),
					      size, prot | d->prot));
		if (ret)
			goto err_unmap;
		cond_resched();
	}
	return 0;

err_unmap:
	list_for_each_entry_continue_reverse(d, &iommu->domain_list, next) {
		iommu_unmap(d->domain, iova, size);
		cond_resched();
	}
	return ret;
}

/*
 * Returns the length of the physically contiguous run that @domain maps
 * from @iova on, at most @max bytes, and its start in @phys (0 if @iova
 * is not mapped: the run is then one page).
 */
static size_t vfio_domain_run(struct iommu_domain *domain, dma_addr_t iova,
			      size_t max, phys_addr_t *phys)
{
	size_t len;

	*phys = iommu_iova_to_phys(domain, iova);
	if (!*phys)
		return PAGE_SIZE;

	for (len = PAGE_SIZE; len < max; len += PAGE_SIZE) {
		if (iommu_iova_to_phys(domain, iova + len) != *phys + len)
			break;
		if (!(len & (SZ_32M - 1)))
			cond_resched();
	}
	return len;
}

/*
 * Unmaps into @gather the small pages that @domain maps from @iova on to
 * @phys on, up to @max bytes or the next place where a huge IOMMU page
 * could start; @iova is known to map @phys.  Returns how many bytes, 0
 * if the unmap went wrong, and sets @end when the run ends there.
 */
static size_t vfio_domain_unmap_small(struct iommu_domain *domain,
				      dma_addr_t iova, size_t max,
				      phys_addr_t phys, bool *end,
				      struct iommu_iotlb_gather *gather)
{
	size_t len;

	*end = false;
	for (len = PAGE_SIZE; len < max; len += PAGE_SIZE) {
		if (IS_ALIGNED((iova + len) | (phys + len), SZ_2M))
			break;
		if (iommu_iova_to_phys(domain, iova + len) != phys + len) {
			*end = true;
			break;
		}
		if (!(len & (SZ_32M - 1)))
			cond_resched();
	}
	if (iommu_unmap_fast(domain, iova, len, gather) != len)
		return 0;
	return len;
}

/*
 * Unmaps from @domain, into @gather, the physically contiguous run that
 * it maps from @iova on, at most @max bytes, and returns its length,
 * with its start in @phys.  @phys is 0 if the run's pages must stay
 * pinned: nothing was mapped at @iova, or an unmap went wrong.
 *
 * Where both addresses are 2 MiB aligned a huge IOMMU page may start:
 * unmapping its first 4 KiB unmaps all of it and returns its size (VT-d
 * and AMD-Vi on 6.1), so it costs one lookup and one unmap.  Small pages
 * are looked up one by one, as far as they are contiguous, and unmapped
 * at once.
 */
static size_t vfio_domain_unmap_run(struct iommu_domain *domain,
				    dma_addr_t iova, size_t max,
				    phys_addr_t *phys,
				    struct iommu_iotlb_gather *gather)
{
	size_t len = 0, size;
	bool end = false;

	*phys = iommu_iova_to_phys(domain, iova);
	if (WARN_ON_ONCE(!*phys))
		return PAGE_SIZE;

	while (len < max && !end) {
		if (len && iommu_iova_to_phys(domain, iova + len) != *phys + len)
			break;
		if (IS_ALIGNED((iova + len) | (*phys + len), SZ_2M))
			size = iommu_unmap_fast(domain, iova + len, PAGE_SIZE,
						gather);
		else
			size = vfio_domain_unmap_small(domain, iova + len,
						       max - len, *phys + len,
						       &end, gather);
		/* Better leak the pins than free memory still mapped. */
		if (WARN_ON_ONCE(!size || size > max - len)) {
			*phys = 0;
			return max;
		}
		len += size;
		cond_resched();
	}
	return len;
}

/*
 * Runs unmapped from the lookup domain without an IOTLB flush yet: their
 * pages are unpinned only once the flush is done.  A small unmap keeps
 * them on the stack; room for more is allocated only once that fills,
 * and without it the batch is flushed whenever the stack's runs fill.
 * Full, it holds as many runs as Linux 6.1's list of unmapped regions
 * (VFIO_IOMMU_TLB_SYNC_MAX): one IOTLB sync per 512 runs.
 */
struct vfio_unpin_run {
	unsigned long	pfn;
	unsigned long	npage;
};

#define VFIO_UNMAP_RUNS_SMALL	16
#define VFIO_UNMAP_RUNS_MAX	512

struct vfio_unmap_batch {
	struct iommu_iotlb_gather	gather;
	struct vfio_unpin_run		*runs;
	unsigned int			nr;
	unsigned int			capacity;
	bool				dirty;
	bool				pending;	/* gather not synced */
	bool				grown;		/* page tried */
	struct vfio_unpin_run		small[VFIO_UNMAP_RUNS_SMALL];
};

static void vfio_unmap_batch_init(struct vfio_unmap_batch *ub, bool dirty)
{
	iommu_iotlb_gather_init(&ub->gather);
	ub->nr = 0;
	ub->dirty = dirty;
	ub->pending = false;
	ub->grown = false;
	ub->runs = ub->small;
	ub->capacity = ARRAY_SIZE(ub->small);
}

/*
 * Queues the run of @npage pages from @pfn on.  Returns true when the
 * batch is full: the caller flushes it before queueing more.
 */
static bool vfio_unmap_batch_add(struct vfio_unmap_batch *ub,
				 unsigned long pfn, unsigned long npage)
{
	struct vfio_unpin_run *runs;

	ub->runs[ub->nr].pfn = pfn;
	ub->runs[ub->nr].npage = npage;
	if (++ub->nr < ub->capacity)
		return false;
	if (ub->grown)
		return true;

	ub->grown = true;
	runs = vfio_fail_ptr(kmalloc_array(VFIO_UNMAP_RUNS_MAX, sizeof(*runs),
					   GFP_KERNEL | __GFP_NOWARN));
	if (!runs)
		return true;	/* flush every VFIO_UNMAP_RUNS_SMALL runs */
	memcpy(runs, ub->small, sizeof(ub->small));
	ub->runs = runs;
	ub->capacity = VFIO_UNMAP_RUNS_MAX;
	return false;
}

/* Flushes the IOTLB, then unpins; returns how many pages held a pin. */
static long vfio_unmap_batch_flush(struct vfio_unmap_batch *ub,
				   struct iommu_domain *domain)
{
	long unpinned = 0;
	unsigned int i;

	if (!ub->pending)
		return 0;

	iommu_iotlb_sync(domain, &ub->gather);
	ub->pending = false;
	for (i = 0; i < ub->nr; i++)
		unpinned += vfio_unpin_pfns(ub->runs[i].pfn, ub->runs[i].npage,
					    ub->dirty);
	ub->nr = 0;
	cond_resched();
	return unpinned;
}

static void vfio_unmap_batch_fini(struct vfio_unmap_batch *ub)
{
	if (ub->runs != ub->small)
		kfree(ub->runs);
}

/*
 * Unmaps the whole of @dma, pinned as one physically contiguous run, from
 * @domain, flushes the IOTLB and unpins the run: no page table lookup.
 */
static long vfio_unmap_unpin_contig(struct iommu_domain *domain,
				    struct vfio_dma *dma)
{
	struct iommu_iotlb_gather gather;
	size_t unmapped;

	dma->contig = false;
	iommu_iotlb_gather_init(&gather);
	unmapped = iommu_unmap_fast(domain, dma->iova, dma->size, &gather);
	iommu_iotlb_sync(domain, &gather);
	/* Better leak the pins than free memory still mapped. */
	if (WARN_ON_ONCE(unmapped != dma->size))
		return 0;
	return vfio_unpin_pfns(dma->pfn, dma->size >> PAGE_SHIFT,
			       dma->prot & IOMMU_WRITE);
}

/*
 * Unmaps the first @len bytes of @dma from every domain and unpins the
 * pages behind them.  Returns how many pinned pages were released; the
 * caller refunds them.
 */
static long vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma,
			     size_t len)
{
	struct vfio_domain *lookup, *d;
	struct vfio_unmap_batch ub;
	dma_addr_t iova = dma->iova;
	long unpinned = 0;

	lockdep_assert_held(&iommu->lock);

	if (!len || list_empty(&iommu->domain_list))
		return 0;

	/*
	 * The pages are found through the first domain's page tables; all
	 * other translations go first, so that none is left when a page
	 * is unpinned.
	 */
	lookup = list_first_entry(&iommu->domain_list, struct vfio_domain,
				  next);
	d = lookup;
	list_for_each_entry_continue(d, &iommu->domain_list, next) {
		iommu_unmap(d->domain, dma->iova, len);
		cond_resched();
	}
	if (dma->contig && len == dma->size)
		return vfio_unmap_unpin_contig(lookup->domain, dma);

	vfio_unmap_batch_init(&ub, dma->prot & IOMMU_WRITE);
	while (len) {
		phys_addr_t phys;
		size_t run;

		run = vfio_domain_unmap_run(lookup->domain, iova, len, &phys,
					    &ub.gather);
		ub.pending = true;
		if (phys && vfio_unmap_batch_add(&ub, PHYS_PFN(phys),
						 run >> PAGE_SHIFT))
			unpinned += vfio_unmap_batch_flush(&ub, lookup->domain);
		iova += run;
		len -= run;
	}
	unpinned += vfio_unmap_batch_flush(&ub, lookup->domain);
	vfio_unmap_batch_fini(&ub);
	return unpinned;
}

/*
 * Pins @dma's memory and maps it into every domain.  On failure, undoes
 * all it did.
 */
static int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	unsigned long npage = dma->size >> PAGE_SHIFT;
	unsigned long done = 0;		/* pages mapped */
	unsigned long run = 0;		/* pages pinned after them, unmapped */
	unsigned long run_pfn = 0, n;
	struct vfio_batch batch;
	long unpinned;
	int ret = 0;

	lockdep_assert_held(&iommu->lock);

	dma->contig = false;
	if (!mmget_not_zero(dma->mm))
		return -ESRCH;
	vfio_batch_init(&batch, npage);

	while (done + run < npage) {
		if (!batch.size) {
			/* Big mappings must not hog the CPU. */
			cond_resched();
			ret = vfio_batch_refill(dma, &batch,
						dma->vaddr +
						((done + run) << PAGE_SHIFT),
						npage - done - run);
			if (ret)
				break;
		}

		if (!run)
			run_pfn = vfio_batch_pfn(&batch);
		n = vfio_batch_take(&batch, run_pfn, run);
		if (n) {
			run += n;
			continue;
		}
		ret = vfio_iommu_map(iommu, dma->iova + (done << PAGE_SHIFT),
				     run_pfn, run, dma->prot);
		if (ret)
			break;
		done += run;
		run = 0;
	}

	if (!ret && run) {
		ret = vfio_iommu_map(iommu, dma->iova + (done << PAGE_SHIFT),
				     run_pfn, run, dma->prot);
		if (!ret) {
			/* one run for it all: vfio_unmap_unpin_contig() */
			dma->contig = !done;
			dma->pfn = run_pfn;
			done += run;
			run = 0;
		}
	}

	if (ret) {
		unpinned = vfio_batch_unpin(&batch);
		/* the run may have been mapped briefly: it may be dirty */
		unpinned += vfio_unpin_pfns(run_pfn, run,
					    dma->prot & IOMMU_WRITE);
		unpinned += vfio_unmap_unpin(iommu, dma, done << PAGE_SHIFT);
		vfio_lock_acct(dma, -unpinned);
	}

	vfio_batch_fini(&batch);
	mmput(dma->mm);
	return ret;
}

static void vfio_remove_dma(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	lockdep_assert_held(&iommu->lock);

	vfio_lock_acct(dma, -vfio_unmap_unpin(iommu, dma, dma->size));
	WARN_ON_ONCE(dma->locked_vm);

	rb_erase(&dma->node, &iommu->dma_list);
	if (dma->vaddr_invalid)
		iommu->vaddr_invalid_count--;
	put_task_struct(dma->task);
	mmdrop(dma->mm);
	kfree(dma);
	iommu->dma_avail++;
}

static void vfio_remove_all_dma(struct vfio_iommu *iommu)
{
	struct rb_node *node;

	while ((node = rb_first(&iommu->dma_list)))
		vfio_remove_dma(iommu, rb_entry(node, struct vfio_dma, node));
}

/*
 * Maps every mapping into @domain, new to the container.  With domains
 * already there, the translations are copied from the first; without,
 * the memory is pinned anew.  On failure, @domain is left as it was.
 */
static int vfio_replay_copy(struct vfio_iommu *iommu,
			    struct vfio_domain *domain)
{
	struct vfio_domain *src = list_first_entry(&iommu->domain_list,
						   struct vfio_domain, next);
	struct vfio_dma *dma = NULL;
	struct rb_node *n;
	size_t off = 0;
	int ret = 0;

	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		dma = rb_entry(n, struct vfio_dma, node);
		for (off = 0; off < dma->size;) {
			phys_addr_t phys;
			size_t run;

			run = vfio_domain_run(src->domain, dma->iova + off,
					      dma->size - off, &phys);
			if (!WARN_ON_ONCE(!phys)) {
				ret = vfio_fail_int(iommu_map(domain->domain,
							      dma->iova + off,
							      phys, run,
							      dma->prot |
							      domain->prot));
				if (ret)
					goto err_unmap;
			}
			off += run;
			cond_resched();
		}
	}
	return 0;

err_unmap:
	if (off)
		iommu_unmap(domain->domain, dma->iova, off);
	for (n = rb_prev(n); n; n = rb_prev(n)) {
		dma = rb_entry(n, struct vfio_dma, node);
		iommu_unmap(domain->domain, dma->iova, dma->size);
		cond_resched();
	}
	return ret;
}

static int vfio_replay_pin(struct vfio_iommu *iommu,
			   struct vfio_domain *domain)
{
	struct rb_node *n;
	int ret = 0;

	/* vfio_pin_map_dma() maps into the domains on the list */
	list_add(&domain->next, &iommu->domain_list);
	for (n = rb_first(&iommu->dma_list); n; n = rb_next(n)) {
		ret = vfio_pin_map_dma(iommu, rb_entry(n, struct vfio_dma,
						       node));
		if (ret)
			break;
	}
	if (ret) {
		for (n = rb_prev(n); n; n = rb_prev(n)) {
			struct vfio_dma *dma = rb_entry(n, struct vfio_dma,
							node);

			vfio_lock_acct(dma, -vfio_unmap_unpin(iommu, dma,
							      dma->size));
		}
	}
	list_del(&domain->next);
	return ret;
}

static int vfio_iommu_replay(struct vfio_iommu *iommu,
			     struct vfio_domain *domain)
{
	lockdep_assert_held(&iommu->lock);

	if (RB_EMPTY_ROOT(&iommu->dma_list))
		return 0;
	if (list_empty(&iommu->domain_list))
		return vfio_replay_pin(iommu, domain);
	return vfio_replay_copy(iommu, domain);
}

/*
 * Valid IOVA ranges
 */

static int vfio_iova_add(struct list_head *iovas, dma_addr_t start,
			 dma_addr_t last, struct list_head *before)
{
	struct vfio_iova *range = vfio_fail_ptr(kmalloc(sizeof(*range),
							GFP_KERNEL));

	if (!range)
		return -ENOMEM;
	range->start = start;
	range->last = last;
	list_add_tail(&range->list, before ? before : iovas);
	return 0;
}

static void vfio_iova_free(struct list_head *iovas)
{
	struct vfio_iova *range, *tmp;

	list_for_each_entry_safe(range, tmp, iovas, list) {
		list_del(&range->list);
		kfree(range);
	}
}

static void vfio_resv_free(struct list_head *resv_regions)
{
	struct iommu_resv_region *region, *tmp;

	list_for_each_entry_safe(region, tmp, resv_regions, list) {
		list_del(&region->list);
		kfree(region);
	}
}

/* Relaxable direct regions may be mapped over (e.g. USB, graphics). */
static bool vfio_resv_excluded(struct iommu_resv_region *region)
{
	return region->type != IOMMU_RESV_DIRECT_RELAXABLE && region->length;
}

/* Removes the reserved regions from the sorted list of ranges. */
static int vfio_iova_exclude(struct list_head *iovas,
			     struct list_head *resv_regions)
{
	struct iommu_resv_region *region;
	struct vfio_iova *range, *tmp;

	list_for_each_entry(region, resv_regions, list) {
		dma_addr_t start = region->start;
		dma_addr_t last = region->start + region->length - 1;

		if (!vfio_resv_excluded(region))
			continue;

		list_for_each_entry_safe(range, tmp, iovas, list) {
			if (start > range->last || last < range->start)
				continue;

			if (start > range->start && last < range->last) {
				if (vfio_iova_add(iovas, range->start,
						  start - 1, &range->list))
					return -ENOMEM;
				range->start = last + 1;
			} else if (start > range->start) {
				range->last = start - 1;
			} else if (last < range->last) {
				range->start = last + 1;
			} else {
				list_del(&range->list);
				kfree(range);
			}
		}
	}
	return 0;
}

/*
 * Builds in @iovas the IOVA ranges valid for mappings: the intersection
 * of the domains' apertures (@new_domain's too, if given), less the
 * reserved regions of every group (and @new_resv).  Without any domain,
 * the list is empty: anything goes.
 */
static int vfio_iova_build(struct vfio_iommu *iommu,
			   struct iommu_domain *new_domain,
			   struct list_head *new_resv, struct list_head *iovas)
{
	dma_addr_t start = 0, last = ~(dma_addr_t)0;
	struct vfio_iommu_group *g;
	struct vfio_domain *d;
	LIST_HEAD(resv);
	int ret;

	lockdep_assert_held(&iommu->lock);

	if (!new_domain && list_empty(&iommu->domain_list))
		return 0;

	list_for_each_entry(d, &iommu->domain_list, next) {
		start = max(start, d->domain->geometry.aperture_start);
		last = min(last, d->domain->geometry.aperture_end);
	}
	if (new_domain) {
		start = max(start, new_domain->geometry.aperture_start);
		last = min(last, new_domain->geometry.aperture_end);
	}
	if (start > last)
		return -EINVAL;

	list_for_each_entry(d, &iommu->domain_list, next) {
		list_for_each_entry(g, &d->group_list, next) {
			ret = iommu_get_group_resv_regions(g->iommu_group,
							   &resv);
			if (ret)
				goto out;
		}
	}

	ret = vfio_iova_add(iovas, start, last, NULL);
	if (!ret)
		ret = vfio_iova_exclude(iovas, &resv);
	if (!ret && new_resv)
		ret = vfio_iova_exclude(iovas, new_resv);
	if (!ret && list_empty(iovas))
		ret = -EINVAL;
out:
	vfio_resv_free(&resv);
	if (ret)
		vfio_iova_free(iovas);
	return ret;
}

static void vfio_iova_replace(struct vfio_iommu *iommu,
			      struct list_head *iovas)
{
	vfio_iova_free(&iommu->iova_list);
	list_splice_tail(iovas, &iommu->iova_list);
}

static bool vfio_iova_valid(struct vfio_iommu *iommu, dma_addr_t start,
			    dma_addr_t last)
{
	struct vfio_iova *range;

	if (list_empty(&iommu->iova_list))
		return true;

	list_for_each_entry(range, &iommu->iova_list, list) {
		if (start >= range->start && last <= range->last)
			return true;
	}
	return false;
}

/* Would a mapping fall outside a new aperture [@start, @last]? */
static bool vfio_aperture_conflict(struct vfio_iommu *iommu,
				   dma_addr_t start, dma_addr_t last)
{
	if (start > 0 && vfio_find_dma(iommu, 0, start - 1))
		return true;
	return last < ~(dma_addr_t)0 &&
	       vfio_find_dma(iommu, last + 1, ~(dma_addr_t)0);
}

/* Would a mapping fall into one of the reserved regions? */
static bool vfio_resv_conflict(struct vfio_iommu *iommu,
			       struct list_head *resv_regions)
{
	struct iommu_resv_region *region;

	list_for_each_entry(region, resv_regions, list) {
		if (vfio_resv_excluded(region) &&
		    vfio_find_dma(iommu, region->start,
				  region->start + region->length - 1))
			return true;
	}
	return false;
}

/* A software-managed MSI window, unless hardware MSI regions exist. */
static bool vfio_resv_sw_msi(struct list_head *resv_regions,
			     phys_addr_t *base)
{
	struct iommu_resv_region *region;
	bool sw_msi = false;

	list_for_each_entry(region, resv_regions, list) {
		if (region->type == IOMMU_RESV_MSI)
			return false;
		if (region->type == IOMMU_RESV_SW_MSI) {
			*base = region->start;
			sw_msi = true;
		}
	}
	return sw_msi;
}

/*
 * Domains and groups
 */

static void vfio_update_pgsize_bitmap(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;

	iommu->pgsize_bitmap = ULONG_MAX;
	list_for_each_entry(d, &iommu->domain_list, next)
		iommu->pgsize_bitmap &= d->domain->pgsize_bitmap;

	/*
	 * Pinning works in pages: sizes below PAGE_SIZE are hidden, and
	 * PAGE_SIZE itself offered, the IOMMU driver splitting it.
	 */
	if (iommu->pgsize_bitmap & ~PAGE_MASK) {
		iommu->pgsize_bitmap &= PAGE_MASK;
		iommu->pgsize_bitmap |= PAGE_SIZE;
	}
}

static struct vfio_iommu_group *vfio_domain_find_group(struct vfio_domain *d,
						       struct iommu_group *grp)
{
	struct vfio_iommu_group *g;

	list_for_each_entry(g, &d->group_list, next) {
		if (g->iommu_group == grp)
			return g;
	}
	return NULL;
}

static bool vfio_iommu_has_group(struct vfio_iommu *iommu,
				 struct iommu_group *grp)
{
	struct vfio_domain *d;

	list_for_each_entry(d, &iommu->domain_list, next) {
		if (vfio_domain_find_group(d, grp))
			return true;
	}
	return false;
}

/* Allocates the domain for the bus of the group's first device. */
static int vfio_dev_domain_alloc(struct device *dev, void *data)
{
	struct iommu_domain **domain = data;

	*domain = vfio_fail_ptr(iommu_domain_alloc(dev->bus));
	return 1;	/* one device is enough */
}

static int vfio_dev_lacks_intr_remap(struct device *dev, void *data)
{
	return !device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
}

static int vfio_dev_lacks_coherency(struct device *dev, void *data)
{
	return !device_iommu_capable(dev, IOMMU_CAP_CACHE_COHERENCY);
}

/* Can no device of the group forge an interrupt with a DMA write? */
static bool vfio_group_msi_isolated(struct iommu_group *grp)
{
	return irq_domain_check_msi_remap() ||
	       !iommu_group_for_each_dev(grp, NULL, vfio_dev_lacks_intr_remap);
}

static void vfio_domain_free(struct vfio_domain *domain)
{
	iommu_domain_free(domain->domain);
	kfree(domain);
}

/*
 * Allocates a domain for @iommu_group, attaches the group to it and checks
 * that the group may join the container: every mapping fits the domain's
 * aperture and avoids the group's reserved regions (returned in @resv),
 * some IOVAs remain valid (those with the new domain, in @iovas), and the
 * group's interrupts are isolated or allowed not to be.  The caller frees
 * @resv and @iovas; on failure nothing else is left.
 */
static struct vfio_domain *vfio_domain_new(struct vfio_iommu *iommu,
					   struct iommu_group *iommu_group,
					   struct list_head *resv,
					   struct list_head *iovas)
{
	struct iommu_domain_geometry *geo;
	struct vfio_domain *domain;
	int ret;

	lockdep_assert_held(&iommu->lock);

	domain = vfio_fail_ptr(kzalloc(sizeof(*domain), GFP_KERNEL));
	if (!domain)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&domain->group_list);

	iommu_group_for_each_dev(iommu_group, &domain->domain,
				 vfio_dev_domain_alloc);
	if (!domain->domain) {
		kfree(domain);
		return ERR_PTR(-EIO);
	}

	ret = vfio_fail_int(iommu_attach_group(domain->domain, iommu_group));
	if (ret)
		goto out_free;

	geo = &domain->domain->geometry;
	ret = -EINVAL;
	if (vfio_aperture_conflict(iommu, geo->aperture_start,
				   geo->aperture_end))
		goto out_detach;

	ret = iommu_get_group_resv_regions(iommu_group, resv);
	if (ret)
		goto out_detach;

	ret = -EINVAL;
	if (vfio_resv_conflict(iommu, resv))
		goto out_detach;

	ret = vfio_iova_build(iommu, domain->domain, resv, iovas);
	if (ret)
		goto out_detach;

	if (!allow_unsafe_interrupts && !vfio_group_msi_isolated(iommu_group)) {
		pr_warn("%s: No interrupt remapping support.  Use the module param \"allow_unsafe_interrupts\" to enable VFIO IOMMU support on this platform\n",
			__func__);
		ret = -EPERM;
		goto out_detach;
	}

	if (!iommu_group_for_each_dev(iommu_group, NULL,
				      vfio_dev_lacks_coherency))
		domain->prot = IOMMU_CACHE;

	/* Block no-snoop DMA where the IOMMU can (lets KVM skip wbinvd). */
	if (domain->domain->ops->enforce_cache_coherency)
		domain->enforce_cache_coherency =
			domain->domain->ops->enforce_cache_coherency(domain->domain);
	return domain;

out_detach:
	iommu_detach_group(domain->domain, iommu_group);
out_free:
	vfio_domain_free(domain);
	return ERR_PTR(ret);
}

/*
 * Moves @iommu_group from its new @domain to an existing domain of the
 * same IOMMU driver and the same mapping attributes, if one takes it: all
 * the mappings are there already.  Returns that domain; NULL if none took
 * the group, which is then still attached to @domain; an ERR_PTR if the
 * group could not go back to @domain either, which then has no group.
 */
static struct vfio_domain *vfio_domain_join(struct vfio_iommu *iommu,
					    struct vfio_domain *domain,
					    struct iommu_group *iommu_group)
{
	struct vfio_domain *d;
	int ret;

	lockdep_assert_held(&iommu->lock);

	list_for_each_entry(d, &iommu->domain_list, next) {
		if (d->domain->ops != domain->domain->ops ||
		    d->prot != domain->prot ||
		    d->enforce_cache_coherency !=
		    domain->enforce_cache_coherency)
			continue;

		iommu_detach_group(domain->domain, iommu_group);
		if (!vfio_fail_int(iommu_attach_group(d->domain,
						      iommu_group)))
			return d;
		ret = iommu_attach_group(domain->domain, iommu_group);
		if (ret)
			return ERR_PTR(ret);
	}
	return NULL;
}

/*
 * Makes the new @domain, its group attached, one of the container's: with
 * the group's software MSI window (from @resv) and every mapping in it.
 */
static int vfio_domain_add(struct vfio_iommu *iommu,
			   struct vfio_domain *domain, struct list_head *resv)
{
	phys_addr_t msi_base = 0;
	int ret;

	lockdep_assert_held(&iommu->lock);

	if (vfio_resv_sw_msi(resv, &msi_base)) {
		ret = iommu_get_msi_cookie(domain->domain, msi_base);
		if (ret && ret != -ENODEV)
			return ret;
	}

	ret = vfio_iommu_replay(iommu, domain);
	if (ret)
		return ret;

	list_add(&domain->next, &iommu->domain_list);
	vfio_update_pgsize_bitmap(iommu);
	return 0;
}

/*
 * A group is first attached to a domain of its own, which tells its IOMMU
 * driver, aperture, reserved regions and coherency; then it moves to an
 * existing domain with the same attributes if one takes it, or else its
 * new domain joins the container.
 */
static int vfio_iommu_type1_attach_group(void *iommu_data,
					 struct iommu_group *iommu_group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_iommu_group *group;
	struct vfio_domain *domain, *d;
	LIST_HEAD(resv);
	LIST_HEAD(iovas);
	int ret;

	mutex_lock(&iommu->lock);

	/* Replaying may need to pin, which needs valid vaddrs. */
	ret = -EBUSY;
	if (iommu->vaddr_invalid_count)
		goto out_unlock;

	ret = -EINVAL;
	if (vfio_iommu_has_group(iommu, iommu_group))
		goto out_unlock;

	ret = -ENOMEM;
	group = vfio_fail_ptr(kzalloc(sizeof(*group), GFP_KERNEL));
	if (!group)
		goto out_unlock;
	group->iommu_group = iommu_group;

	domain = vfio_domain_new(iommu, iommu_group, &resv, &iovas);
	ret = PTR_ERR_OR_ZERO(domain);
	if (ret)
		goto out_free_group;

	d = vfio_domain_join(iommu, domain, iommu_group);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		goto out_free_domain;
	}
	if (d) {
		vfio_domain_free(domain);
	} else {
		ret = vfio_domain_add(iommu, domain, &resv);
		if (ret)
			goto out_detach;
		d = domain;
	}

	list_add(&group->next, &d->group_list);
	vfio_iova_replace(iommu, &iovas);
	mutex_unlock(&iommu->lock);
	vfio_resv_free(&resv);
	return 0;

out_detach:
	iommu_detach_group(domain->domain, iommu_group);
out_free_domain:
	vfio_domain_free(domain);
out_free_group:
	kfree(group);
out_unlock:
	mutex_unlock(&iommu->lock);
	vfio_iova_free(&iovas);
	vfio_resv_free(&resv);
	return ret;
}

static void vfio_iommu_type1_detach_group(void *iommu_data,
					  struct iommu_group *iommu_group)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_iommu_group *group;
	struct vfio_domain *domain;
	LIST_HEAD(iovas);

	mutex_lock(&iommu->lock);
	list_for_each_entry(domain, &iommu->domain_list, next) {
		group = vfio_domain_find_group(domain, iommu_group);
		if (!group)
			continue;

		iommu_detach_group(domain->domain, iommu_group);
		list_del(&group->next);
		kfree(group);

		if (list_empty(&domain->group_list)) {
			/*
			 * Owning a group is what entitles to DMA: the last
			 * one gone, every mapping goes too.
			 */
			if (list_is_singular(&iommu->domain_list))
				vfio_remove_all_dma(iommu);
			list_del(&domain->next);
			vfio_domain_free(domain);
			vfio_update_pgsize_bitmap(iommu);
		}

		/* On failure, the old, narrower list stays: still safe. */
		if (!vfio_iova_build(iommu, NULL, NULL, &iovas))
			vfio_iova_replace(iommu, &iovas);
		break;
	}
	mutex_unlock(&iommu->lock);
}

static void *vfio_iommu_type1_open(unsigned long arg)
{
	struct vfio_iommu *iommu;
	bool v2;

	switch (arg) {
	case VFIO_TYPE1_IOMMU:
		v2 = false;
		break;
	case VFIO_TYPE1v2_IOMMU:
		v2 = true;
		break;
	default:
		return ERR_PTR(-EINVAL);
	}

	iommu = vfio_fail_ptr(kzalloc(sizeof(*iommu), GFP_KERNEL));
	if (!iommu)
		return ERR_PTR(-ENOMEM);

	mutex_init(&iommu->lock);
	INIT_LIST_HEAD(&iommu->domain_list);
	INIT_LIST_HEAD(&iommu->iova_list);
	iommu->dma_list = RB_ROOT;
	iommu->dma_avail = dma_entry_limit;
	iommu->pgsize_bitmap = PAGE_MASK;
	iommu->v2 = v2;
	return iommu;
}

static void vfio_iommu_type1_release(void *iommu_data)
{
	struct vfio_iommu *iommu = iommu_data;
	struct vfio_domain *domain, *dtmp;
	struct vfio_iommu_group *group, *gtmp;

	mutex_lock(&iommu->lock);
	vfio_remove_all_dma(iommu);

	list_for_each_entry_safe(domain, dtmp, &iommu->domain_list, next) {
		list_for_each_entry_safe(group, gtmp, &domain->group_list,
					 next) {
			iommu_detach_group(domain->domain, group->iommu_group);
			list_del(&group->next);
			kfree(group);
		}
		list_del(&domain->next);
		vfio_domain_free(domain);
	}
	vfio_iova_free(&iommu->iova_list);
	mutex_unlock(&iommu->lock);

	mutex_destroy(&iommu->lock);
	kfree(iommu);
}

/*
 * ioctls
 */

static int vfio_domains_enforce_coherency(struct vfio_iommu *iommu)
{
	struct vfio_domain *d;
	int ret = 1;

	mutex_lock(&iommu->lock);
	list_for_each_entry(d, &iommu->domain_list, next) {
		if (!d->enforce_cache_coherency) {
			ret = 0;
			break;
		}
	}
	mutex_unlock(&iommu->lock);
	return ret;
}

static long vfio_iommu_type1_check_extension(struct vfio_iommu *iommu,
					     unsigned long arg)
{
	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
		return !!iommu;
	case VFIO_DMA_CC_IOMMU:
		return iommu ? vfio_domains_enforce_coherency(iommu) : 0;
	default:
		return 0;
	}
}

static int vfio_build_cap_migration(struct vfio_iommu *iommu,
				    struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_migration *mig;
	struct vfio_info_cap_header *header;

	header = vfio_info_cap_add(caps, sizeof(*mig),
				   VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);

	mig = container_of(header, struct vfio_iommu_type1_info_cap_migration,
			   header);
	mig->flags = 0;
	mig->pgsize_bitmap = vfio_pgsize(iommu);
	mig->max_dirty_bitmap_size = VFIO_DIRTY_BITMAP_SIZE_MAX;
	return 0;
}

static int vfio_build_cap_dma_avail(struct vfio_iommu *iommu,
				    struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_dma_avail *avail;
	struct vfio_info_cap_header *header;

	header = vfio_info_cap_add(caps, sizeof(*avail),
				   VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);

	avail = container_of(header, struct vfio_iommu_type1_info_dma_avail,
			     header);
	avail->avail = iommu->dma_avail;
	return 0;
}

static int vfio_build_cap_iova_range(struct vfio_iommu *iommu,
				     struct vfio_info_cap *caps)
{
	struct vfio_iommu_type1_info_cap_iova_range *cap;
	struct vfio_info_cap_header *header;
	struct vfio_iova *range;
	u32 nr = 0;

	list_for_each_entry(range, &iommu->iova_list, list)
		nr++;
	if (!nr)
		return 0;	/* no domain: no restriction to report */

	header = vfio_info_cap_add(caps, struct_size(cap, iova_ranges, nr),
				   VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1);
	if (IS_ERR(header))
		return PTR_ERR(header);

	cap = container_of(header, struct vfio_iommu_type1_info_cap_iova_range,
			   header);
	cap->nr_iovas = nr;
	cap->reserved = 0;
	nr = 0;
	list_for_each_entry(range, &iommu->iova_list, list) {
		cap->iova_ranges[nr].start = range->start;
		cap->iova_ranges[nr].end = range->last;
		nr++;
	}
	return 0;
}

static int vfio_iommu_type1_get_info(struct vfio_iommu *iommu,
				     unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_info,
					  iova_pgsizes);
	unsigned long capsz = offsetofend(struct vfio_iommu_type1_info,
					  cap_offset);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_iommu_type1_info info;
	int ret;

	ret = VFIO_COPY_ARG(&info, (void __user *)arg, iova_pgsizes);
	if (ret)
		return ret;

	/* cap_offset is only returned to a user that knows of it */
	if (info.argsz >= capsz) {
		minsz = capsz;
		info.cap_offset = 0;
	}

	mutex_lock(&iommu->lock);
	info.flags = VFIO_IOMMU_INFO_PGSIZES;
	info.iova_pgsizes = iommu->pgsize_bitmap;

	ret = vfio_build_cap_migration(iommu, &caps);
	if (!ret)
		ret = vfio_build_cap_dma_avail(iommu, &caps);
	if (!ret)
		ret = vfio_build_cap_iova_range(iommu, &caps);
	mutex_unlock(&iommu->lock);

	if (ret)
		goto out_free;

	if (caps.size)
		info.flags |= VFIO_IOMMU_INFO_CAPS;
	ret = vfio_info_cap_copy(&caps, (void __user *)arg, sizeof(info),
				 &info.argsz, &info.cap_offset);
	if (ret)
		goto out_free;

	if (copy_to_user((void __user *)arg, &info, minsz))
		ret = -EFAULT;
out_free:
	kfree(caps.buf);
	return ret;
}

/*
 * Moves @dma's pages, accounting included, to the current task's mm: the
 * process that updates the vaddr owns the memory from now on.
 */
static int vfio_change_dma_owner(struct vfio_dma *dma)
{
	struct task_struct *task = current->group_leader;
	struct mm_struct *mm = current->mm;
	long npage = dma->locked_vm;
	bool lock_cap;
	int ret;

	if (mm == dma->mm)
		return 0;

	lock_cap = capable(CAP_IPC_LOCK);
	if (npage) {
		ret = mmap_write_lock_killable(mm);
		if (ret)
			return ret;
		ret = __account_locked_vm(mm, npage, true, task, lock_cap);
		mmap_write_unlock(mm);
		if (ret)
			return ret;
	}

	vfio_lock_acct(dma, -npage);
	put_task_struct(dma->task);
	dma->task = get_task_struct(task);
	mmdrop(dma->mm);
	mmgrab(mm);
	dma->mm = mm;
	dma->lock_cap = lock_cap;
	dma->locked_vm = npage;
	return 0;
}

static int vfio_dma_update_vaddr(struct vfio_iommu *iommu,
				 struct vfio_dma *dma, dma_addr_t iova,
				 size_t size, unsigned long vaddr)
{
	int ret;

	if (!dma)
		return -ENOENT;
	if (!dma->vaddr_invalid || dma->iova != iova || dma->size != size)
		return -EINVAL;

	ret = vfio_change_dma_owner(dma);
	if (ret)
		return ret;

	dma->vaddr = vaddr;
	dma->vaddr_invalid = false;
	iommu->vaddr_invalid_count--;
	return 0;
}

/*
 * Records a new mapping of @size bytes of the current process's memory
 * from @vaddr on at @iova: pinned and mapped into every domain at once, or
 * at the first group's attach if the container has no domain yet.
 */
static int vfio_dma_create(struct vfio_iommu *iommu, dma_addr_t iova,
			   unsigned long vaddr, size_t size, int prot)
{
	struct vfio_dma *dma;
	int ret;

	lockdep_assert_held(&iommu->lock);

	dma = vfio_fail_ptr(kzalloc(sizeof(*dma), GFP_KERNEL));
	if (!dma)
		return -ENOMEM;
	dma->iova = iova;
	dma->vaddr = vaddr;
	dma->size = size;
	dma->prot = prot;
	/*
	 * The limit is that of the process, hence its group leader; the
	 * mm must outlive the task for the pages to be refunded.
	 */
	dma->task = get_task_struct(current->group_leader);
	dma->lock_cap = capable(CAP_IPC_LOCK);
	dma->mm = current->mm;
	mmgrab(dma->mm);

	if (!list_empty(&iommu->domain_list)) {
		ret = vfio_pin_map_dma(iommu, dma);
		if (ret) {
			put_task_struct(dma->task);
			mmdrop(dma->mm);
			kfree(dma);
			return ret;
		}
	}

	vfio_link_dma(iommu, dma);
	iommu->dma_avail--;
	return 0;
}

static int vfio_dma_do_map(struct vfio_iommu *iommu,
			   struct vfio_iommu_type1_dma_map *map)
{
	bool set_vaddr = map->flags & VFIO_DMA_MAP_FLAG_VADDR;
	dma_addr_t iova = map->iova;
	unsigned long vaddr = map->vaddr;
	size_t size = map->size;
	u64 last, vaddr_last;
	struct vfio_dma *dma;
	int ret, prot = 0;
	size_t pgsize;

	/* The u64 fields must fit the kernel's types */
	if (map->size != size || map->vaddr != vaddr || map->iova != iova)
		return -EINVAL;

	/* READ and WRITE as seen from the device */
	if (map->flags & VFIO_DMA_MAP_FLAG_WRITE)
		prot |= IOMMU_WRITE;
	if (map->flags & VFIO_DMA_MAP_FLAG_READ)
		prot |= IOMMU_READ;

	/* A vaddr update keeps the protection; a new mapping needs one. */
	if (!prot == !set_vaddr)
		return -EINVAL;

	ret = vfio_range_last(map->iova, map->size, &last);
	if (!ret)
		ret = vfio_range_last(map->vaddr, map->size, &vaddr_last);
	if (ret)
		return ret;

	mutex_lock(&iommu->lock);

	pgsize = vfio_pgsize(iommu);
	dma = vfio_find_dma(iommu, iova, last);
	if ((size | iova | vaddr) & (pgsize - 1))
		ret = -EINVAL;
	else if (set_vaddr)
		ret = vfio_dma_update_vaddr(iommu, dma, iova, size, vaddr);
	else if (dma)
		ret = -EEXIST;
	else if (!iommu->dma_avail)
		ret = -ENOSPC;
	else if (!vfio_iova_valid(iommu, iova, last))
		ret = -EINVAL;
	else
		ret = vfio_dma_create(iommu, iova, vaddr, size, prot);

	mutex_unlock(&iommu->lock);
	return ret;
}

static int vfio_iommu_type1_map_dma(struct vfio_iommu *iommu,
				    unsigned long arg)
{
	u32 mask = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE |
		   VFIO_DMA_MAP_FLAG_VADDR;
	struct vfio_iommu_type1_dma_map map;
	int ret;

	ret = VFIO_COPY_ARG(&map, (void __user *)arg, size);
	if (ret)
		return ret;

	if (map.flags & ~mask)
		return -EINVAL;

	return vfio_dma_do_map(iommu, &map);
}

/*
 * Dirty page logging.  Every group is attached to an IOMMU domain, and no
 * device tells which pages it wrote: every page of a mapping that is
 * pinned and mapped is reported dirty, and none of one that is not.
 */
static const u64 vfio_bitmap_ones[64] = { [0 ... 63] = ~0ULL };

/* Sets (or clears) @nbits bits of the user's bitmap from bit @start on. */
static int vfio_user_bitmap_fill(u64 __user *bitmap, u64 start, u64 nbits,
				 bool set)
{
	while (nbits) {
		u64 __user *word = bitmap + start / BITS_PER_LONG_LONG;
		unsigned int bit = start % BITS_PER_LONG_LONG;
		u64 n, val, mask;

		if (!bit && nbits >= BITS_PER_LONG_LONG) {
			n = min_t(u64, nbits / BITS_PER_LONG_LONG,
				  ARRAY_SIZE(vfio_bitmap_ones));
			if (set ? copy_to_user(word, vfio_bitmap_ones,
					       n * sizeof(u64)) :
				  clear_user(word, n * sizeof(u64)))
				return -EFAULT;
			n *= BITS_PER_LONG_LONG;
			cond_resched();
		} else {
			n = min_t(u64, BITS_PER_LONG_LONG - bit, nbits);
			mask = GENMASK_ULL(bit + n - 1, bit);
			if (get_user(val, word))
				return -EFAULT;
			val = set ? val | mask : val & ~mask;
			if (put_user(val, word))
				return -EFAULT;
		}
		start += n;
		nbits -= n;
	}
	return 0;
}

/* Reports @dma's pages in the user's bitmap, which starts at @base. */
static int vfio_report_dirty(struct vfio_iommu *iommu, u64 __user *bitmap,
			     struct vfio_dma *dma, dma_addr_t base,
			     size_t pgsize)
{
	unsigned int pgshift = __ffs(pgsize);

	lockdep_assert_held(&iommu->lock);

	return vfio_user_bitmap_fill(bitmap, (dma->iova - base) >> pgshift,
				     dma->size >> pgshift,
				     !list_empty(&iommu->domain_list));
}

/*
 * The bitmap must hold @npages bits in whole u64s.  Counted in bits of the
 * (bounded) bitmap: VFIO_DIRTY_BITMAP_BYTES(npages) wraps for huge counts.
 */
static int vfio_verify_bitmap_size(u64 npages, u64 bitmap_size)
{
	if (!npages || !bitmap_size ||
	    bitmap_size > VFIO_DIRTY_BITMAP_SIZE_MAX ||
	    npages > bitmap_size / sizeof(u64) * BITS_PER_LONG_LONG)
		return -EINVAL;
	return 0;
}

/* Checks a user bitmap description, before taking the lock. */
static int vfio_check_user_bitmap(struct vfio_bitmap *bitmap, u64 size)
{
	if (!access_ok(bitmap->data, bitmap->size) || !bitmap->pgsize)
		return -EINVAL;
	return vfio_verify_bitmap_size(size >> __ffs(bitmap->pgsize),
				       bitmap->size);
}

/*
 * Does [@iova, @last] cut a mapping, rather than cover every mapping it
 * touches entirely?  @first is the lowest mapping that overlaps it
 * (vfio_first_dma_node()): the one that holds @iova, if any does, and
 * often the one that holds @last too, so that a request for one mapping
 * costs a single search of the tree.
 */
static bool vfio_range_bisects(struct vfio_iommu *iommu, struct rb_node *first,
			       dma_addr_t iova, dma_addr_t last)
{
	struct vfio_dma *dma;

	if (!first)
		return false;
	dma = rb_entry(first, struct vfio_dma, node);
	if (dma->iova < iova)
		return true;
	if (vfio_dma_last(dma) < last)
		dma = vfio_find_dma(iommu, last, last);
	return dma && vfio_dma_last(dma) != last;
}

/*
 * The mapping at @n if a request for [@iova, @last] covers it, else NULL.
 * The mappings come in IOVA order from the first that overlaps the range
 * (vfio_first_dma_node()) on; for v1, a range that starts inside a mapping
 * covers none (see vfio_dma_do_unmap()).
 */
static struct vfio_dma *vfio_covered_dma(struct vfio_iommu *iommu,
					 struct rb_node *n, dma_addr_t iova,
					 dma_addr_t last)
{
	struct vfio_dma *dma;

	if (!n)
		return NULL;
	dma = rb_entry(n, struct vfio_dma, node);
	if (dma->iova > last || (!iommu->v2 && dma->iova < iova))
		return NULL;
	return dma;
}

static int vfio_dma_invalidate_vaddr(struct vfio_iommu *iommu,
				     struct rb_node *first, dma_addr_t iova,
				     dma_addr_t last, u64 *size)
{
	struct vfio_dma *dma;
	struct rb_node *n;

	/* All or nothing: a range with an invalid vaddr already fails. */
	for (n = first; (dma = vfio_covered_dma(iommu, n, iova, last));
	     n = rb_next(n)) {
		if (dma->vaddr_invalid)
			return -EINVAL;
	}

	for (n = first; (dma = vfio_covered_dma(iommu, n, iova, last));
	     n = rb_next(n)) {
		dma->vaddr_invalid = true;
		iommu->vaddr_invalid_count++;
		*size += dma->size;
	}
	return 0;
}

/*
 * Removes the mappings that a request for [@iova, @last] covers, from @n
 * on, and adds their sizes to *@size; with a @bitmap, reports each one's
 * pages in it first.
 */
static int vfio_dma_remove_range(struct vfio_iommu *iommu, struct rb_node *n,
				 dma_addr_t iova, dma_addr_t last,
				 u64 __user *bitmap, u64 *size)
{
	struct vfio_dma *dma;
	int ret;

	while ((dma = vfio_covered_dma(iommu, n, iova, last))) {
		if (bitmap) {
			ret = vfio_report_dirty(iommu, bitmap, dma, iova,
						vfio_pgsize(iommu));
			if (ret)
				return ret;
		}
		*size += dma->size;
		n = rb_next(n);
		vfio_remove_dma(iommu, dma);
	}
	return 0;
}

/*
 * The range of an UNMAP_DMA: [iova, *@last], all of the IOVA space for
 * VFIO_DMA_UNMAP_FLAG_ALL, which takes neither an iova nor a size.
 */
static int vfio_unmap_range(struct vfio_iommu_type1_dma_unmap *unmap,
			    u64 *last)
{
	if (!(unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL))
		return vfio_range_last(unmap->iova, unmap->size, last);
	if (unmap->iova || unmap->size)
		return -EINVAL;
	*last = U64_MAX;
	return 0;
}

static int vfio_dma_do_unmap(struct vfio_iommu *iommu,
			     struct vfio_iommu_type1_dma_unmap *unmap,
			     struct vfio_bitmap *bitmap)
{
	bool unmap_all = unmap->flags & VFIO_DMA_UNMAP_FLAG_ALL;
	bool get_dirty = unmap->flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
	dma_addr_t iova = unmap->iova;
	u64 last, unmapped = 0;
	struct rb_node *n;
	size_t pgsize;
	int ret;

	ret = vfio_unmap_range(unmap, &last);
	if (!ret && get_dirty)
		ret = vfio_check_user_bitmap(bitmap, unmap->size);
	if (ret)
		goto out;

	mutex_lock(&iommu->lock);

	pgsize = vfio_pgsize(iommu);
	ret = -EINVAL;
	if ((iova | unmap->size) & (pgsize - 1))
		goto out_unlock;

	/* Dirty bits only while logging, in the smallest page size */
	if (get_dirty && (!iommu->dirty_tracking || bitmap->pgsize != pgsize))
		goto out_unlock;

	/*
	 * v1 let the user unmap any range: a request starting inside a
	 * mapping unmaps nothing, one covering a mapping's first page
	 * unmaps it whole.  v2 wants whole mappings: a range may cover
	 * several but must not cut one; only a range without any mapping
	 * succeeds with nothing unmapped.
	 */
	n = vfio_first_dma_node(iommu, iova, last);
	if (iommu->v2 && !unmap_all && vfio_range_bisects(iommu, n, iova, last))
		goto out_unlock;

	if (unmap->flags & VFIO_DMA_UNMAP_FLAG_VADDR)
		ret = vfio_dma_invalidate_vaddr(iommu, n, iova, last,
						&unmapped);
	else
		ret = vfio_dma_remove_range(iommu, n, iova, last,
					    get_dirty ? bitmap->data : NULL,
					    &unmapped);
out_unlock:
	mutex_unlock(&iommu->lock);
out:
	unmap->size = ret ? 0 : unmapped;
	return ret;
}

static int vfio_iommu_type1_unmap_dma(struct vfio_iommu *iommu,
				      unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dma_unmap,
					  size);
	u32 mask = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP |
		   VFIO_DMA_UNMAP_FLAG_VADDR | VFIO_DMA_UNMAP_FLAG_ALL;
	struct vfio_iommu_type1_dma_unmap unmap;
	struct vfio_bitmap bitmap = { 0 };
	int ret;

	ret = VFIO_COPY_ARG(&unmap, (void __user *)arg, size);
	if (ret)
		return ret;

	if (unmap.flags & ~mask)
		return -EINVAL;

	if ((unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) &&
	    (unmap.flags & (VFIO_DMA_UNMAP_FLAG_ALL |
			    VFIO_DMA_UNMAP_FLAG_VADDR)))
		return -EINVAL;

	if (unmap.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) {
		if (unmap.argsz < minsz + sizeof(bitmap))
			return -EINVAL;
		if (copy_from_user(&bitmap, (void __user *)arg + minsz,
				   sizeof(bitmap)))
			return -EFAULT;
	}

	ret = vfio_dma_do_unmap(iommu, &unmap, &bitmap);
	if (ret)
		return ret;

	return copy_to_user((void __user *)arg, &unmap, minsz) ? -EFAULT : 0;
}

static int vfio_iommu_get_dirty_bitmap(struct vfio_iommu *iommu,
				       unsigned long arg)
{
	struct vfio_iommu_type1_dirty_bitmap_get range;
	struct vfio_dma *dma;
	struct rb_node *n;
	size_t pgsize;
	u64 last;
	int ret;

	if (copy_from_user(&range, (void __user *)arg, sizeof(range)))
		return -EFAULT;

	ret = vfio_range_last(range.iova, range.size, &last);
	if (!ret)
		ret = vfio_check_user_bitmap(&range.bitmap, range.size);
	if (ret)
		return ret;

	mutex_lock(&iommu->lock);

	/* Only the smallest page size, and only while logging */
	pgsize = vfio_pgsize(iommu);
	ret = -EINVAL;
	if (range.bitmap.pgsize != pgsize ||
	    (range.iova | range.size) & (pgsize - 1) ||
	    !iommu->dirty_tracking)
		goto out_unlock;

	/* Whole mappings only, as for a v2 unmap */
	n = vfio_first_dma_node(iommu, range.iova, last);
	if (vfio_range_bisects(iommu, n, range.iova, last))
		goto out_unlock;

	ret = 0;
	for (; (dma = vfio_covered_dma(iommu, n, range.iova, last));
	     n = rb_next(n)) {
		ret = vfio_report_dirty(iommu, range.bitmap.data, dma,
					range.iova, pgsize);
		if (ret)
			break;
	}
out_unlock:
	mutex_unlock(&iommu->lock);
	return ret;
}

static int vfio_iommu_type1_dirty_pages(struct vfio_iommu *iommu,
					unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_iommu_type1_dirty_bitmap,
					  flags);
	u32 mask = VFIO_IOMMU_DIRTY_PAGES_FLAG_START |
		   VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP |
		   VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	struct vfio_iommu_type1_dirty_bitmap dirty;
	int ret;

	if (!iommu->v2)
		return -EACCES;

	ret = VFIO_COPY_ARG(&dirty, (void __user *)arg, flags);
	if (ret)
		return ret;

	if (dirty.flags & ~mask || hweight32(dirty.flags) != 1)
		return -EINVAL;

	switch (dirty.flags) {
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_START:
	case VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP:
		mutex_lock(&iommu->lock);
		iommu->dirty_tracking =
			dirty.flags == VFIO_IOMMU_DIRTY_PAGES_FLAG_START;
		mutex_unlock(&iommu->lock);
		return 0;
	default:
		if (dirty.argsz - minsz <
		    sizeof(struct vfio_iommu_type1_dirty_bitmap_get))
			return -EINVAL;
		return vfio_iommu_get_dirty_bitmap(iommu, arg + minsz);
	}
}

static long vfio_iommu_type1_ioctl(void *iommu_data, unsigned int cmd,
				   unsigned long arg)
{
	struct vfio_iommu *iommu = iommu_data;

	if (cmd == VFIO_CHECK_EXTENSION)
		return vfio_iommu_type1_check_extension(iommu, arg);
	if (!iommu)
		return -EINVAL;

	switch (cmd) {
	case VFIO_IOMMU_GET_INFO:
		return vfio_iommu_type1_get_info(iommu, arg);
	case VFIO_IOMMU_MAP_DMA:
		return vfio_iommu_type1_map_dma(iommu, arg);
	case VFIO_IOMMU_UNMAP_DMA:
		return vfio_iommu_type1_unmap_dma(iommu, arg);
	case VFIO_IOMMU_DIRTY_PAGES:
		return vfio_iommu_type1_dirty_pages(iommu, arg);
	default:
		return -ENOTTY;
	}
}

static const struct vfio_iommu_driver_ops vfio_iommu_type1_ops = {
	.owner		= THIS_MODULE,
	.open		= vfio_iommu_type1_open,
	.release	= vfio_iommu_type1_release,
	.ioctl		= vfio_iommu_type1_ioctl,
	.attach_group	= vfio_iommu_type1_attach_group,
	.detach_group	= vfio_iommu_type1_detach_group,
};

static int __init vfio_iommu_type1_init(void)
{
	return vfio_register_iommu_driver(&vfio_iommu_type1_ops);
}

static void __exit vfio_iommu_type1_exit(void)
{
	vfio_unregister_iommu_driver(&vfio_iommu_type1_ops);
}

module_init(vfio_iommu_type1_init);
module_exit(vfio_iommu_type1_exit);

MODULE_VERSION(VFIO_MODULES_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VFIO Type1 IOMMU backend");

#if IS_ENABLED(CONFIG_VFIO_KUNIT_TEST)
#include "vfio_iommu_type1_test.c"
#endif
